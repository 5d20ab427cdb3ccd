import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** TOTP (RFC 6238) over HOTP (RFC 4226), HMAC-SHA1, as every authenticator app implements it. */
export interface TotpOptions {
  stepSeconds?: number;
  digits?: number;
  /** Steps of clock skew accepted on either side. */
  window?: number;
}

const DEFAULTS = { stepSeconds: 30, digits: 6, window: 1 };
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) throw new TypeError('not a base32 string');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export const newTotpSecret = (): Buffer => randomBytes(20);

export function hotp(secret: Buffer, counter: number, digits = DEFAULTS.digits): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

export const totpStep = (timeMs: number, stepSeconds = DEFAULTS.stepSeconds): number => Math.floor(timeMs / 1000 / stepSeconds);

export const totpAt = (secret: Buffer, timeMs: number, options: TotpOptions = {}): string =>
  hotp(secret, totpStep(timeMs, options.stepSeconds), options.digits);

/**
 * The step `code` belongs to, if it is valid within ±window steps of `timeMs` and later
 * than `afterStep` (so a code, once used, cannot be replayed); undefined otherwise. Every
 * candidate is compared, in constant time, so timing does not reveal which one matched.
 */
export function verifyTotp(secret: Buffer, code: string, timeMs: number, options: TotpOptions & { afterStep?: number } = {}): number | undefined {
  const { stepSeconds, digits, window } = { ...DEFAULTS, ...options };
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return undefined;
  const now = totpStep(timeMs, stepSeconds);
  let matched: number | undefined;
  for (let step = now - window; step <= now + window; step++) {
    const ok = timingSafeEqual(Buffer.from(hotp(secret, step, digits)), Buffer.from(code));
    if (ok && step > (options.afterStep ?? -1) && matched === undefined) matched = step;
  }
  return matched;
}

/** The provisioning URI authenticator apps read from a QR code. */
export function otpauthUri(secret: Buffer, account: string, issuer: string): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  return `otpauth://totp/${label}?secret=${base32Encode(secret)}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}
