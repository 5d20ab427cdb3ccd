import { createHash } from 'node:crypto';

export const MAX_KEY_LENGTH = 255;
const BARE_KEY = /^[A-Za-z0-9._~:+/=-]+$/;

/**
 * Reads an `Idempotency-Key` field. The draft makes it a Structured Field String
 * (`"8e03978e-..."`); a bare token of URL-safe characters is accepted too because many
 * clients send UUIDs unquoted. Returns the key, or why it is unusable.
 */
export function parseIdempotencyKey(value: string | string[] | undefined): { key: string } | { error: string } | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return { error: 'send exactly one Idempotency-Key field' };
  const raw = value.trim();
  let key: string;
  if (raw.startsWith('"')) {
    const parsed = parseSfString(raw);
    if (parsed === undefined) return { error: 'Idempotency-Key is not a valid structured-field string' };
    key = parsed;
  } else {
    if (!BARE_KEY.test(raw)) return { error: 'Idempotency-Key must be a quoted string such as "8e03978e-40d5-43e8-bc93-6894a57f9324", or a bare token of letters, digits and ._~:+/=-' };
    key = raw;
  }
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) return { error: `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters` };
  return { key };
}

/** RFC 8941 §4.2.5: printable ASCII between quotes, `\` escaping only `"` and `\`. */
function parseSfString(raw: string): string | undefined {
  let out = '';
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[++i];
      if (next !== '"' && next !== '\\') return undefined;
      out += next;
    } else if (c === '"') {
      return i === raw.length - 1 ? out : undefined;
    } else {
      const code = c.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) return undefined;
      out += c;
    }
  }
  return undefined;
}

/** JSON with object keys sorted, so the same payload always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What makes two requests "the same request": method, path with query, and body. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  const payload = body === undefined ? '' : Buffer.isBuffer(body) ? body.toString('base64') : typeof body === 'string' ? body : canonicalJson(body);
  return createHash('sha256').update(`${method.toUpperCase()}\n${url}\n${payload}`).digest('base64url');
}
