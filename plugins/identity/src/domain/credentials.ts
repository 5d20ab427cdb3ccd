import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque bearer credentials. Each is a prefix naming its kind, then base64url of the
 * record id (16 bytes), the account id for tenant credentials (16 bytes) and a 32-byte
 * random secret. The id is the lookup key and the account id says which tenant to look in
 * (tenant tables are only readable inside that tenant's transaction); only a SHA-256 of the
 * secret is stored, compared in constant time. The secrets are random, so a fast hash is
 * enough: there is nothing to brute-force.
 */
export type CredentialKind = 'api_key' | 'refresh' | 'device' | 'verification' | 'admin_session';

const PREFIX: Record<CredentialKind, string> = {
  api_key: 'mk_',
  refresh: 'mkr_',
  device: 'mkd_',
  verification: 'mkv_',
  admin_session: 'mka_',
};
const TENANT_KINDS: ReadonlySet<CredentialKind> = new Set(['api_key', 'refresh', 'device', 'verification']);
const SECRET_LENGTH = 32;

export interface Credential {
  kind: CredentialKind;
  id: string;
  /** Absent for platform credentials (admin sessions). */
  accountId?: string;
  secret: Buffer;
}

const uuidBytes = (uuid: string) => Buffer.from(uuid.replaceAll('-', ''), 'hex');
const uuidOf = (bytes: Buffer) => {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export function newCredential(kind: CredentialKind, id: string, accountId?: string): { token: string; secretHash: Buffer } {
  if (TENANT_KINDS.has(kind) !== (accountId !== undefined)) throw new TypeError(`a ${kind} credential ${accountId ? 'has no' : 'needs an'} account id`);
  const secret = randomBytes(SECRET_LENGTH);
  const body = Buffer.concat([uuidBytes(id), ...(accountId ? [uuidBytes(accountId)] : []), secret]);
  return { token: PREFIX[kind] + body.toString('base64url'), secretHash: hashSecret(secret) };
}

/** Parses a token of one of `kinds`; undefined for anything else. */
export function parseCredential(token: string, kinds: readonly CredentialKind[]): Credential | undefined {
  for (const kind of kinds) {
    if (!token.startsWith(PREFIX[kind])) continue;
    const rest = token.slice(PREFIX[kind].length);
    if (!/^[A-Za-z0-9_-]+$/.test(rest)) return undefined;
    const body = Buffer.from(rest, 'base64url');
    const tenant = TENANT_KINDS.has(kind);
    if (body.length !== 16 + (tenant ? 16 : 0) + SECRET_LENGTH || body.toString('base64url') !== rest) return undefined;
    return {
      kind,
      id: uuidOf(body.subarray(0, 16)),
      ...(tenant ? { accountId: uuidOf(body.subarray(16, 32)) } : {}),
      secret: body.subarray(tenant ? 32 : 16),
    };
  }
  return undefined;
}

export const hashSecret = (secret: Buffer): Buffer => createHash('sha256').update(secret).digest();

export function secretMatches(secret: Buffer, storedHash: Buffer): boolean {
  const hash = hashSecret(secret);
  return hash.length === storedHash.length && timingSafeEqual(hash, storedHash);
}

/** What a listing shows so people can tell keys apart: the kind prefix and the start of the id. */
export const displayPrefix = (token: string): string => token.slice(0, token.indexOf('_') + 9);
