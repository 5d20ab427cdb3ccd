import { createHmac } from 'node:crypto';

/** An Admin API key as Ghost shows it with a custom integration: `<24 hex id>:<64 hex secret>`. */
export const ADMIN_KEY_PATTERN = '^[0-9a-fA-F]{24}:[0-9a-fA-F]{64}$';

export interface AdminKey {
  id: string;
  /** The secret's bytes: Ghost signs with the hex decoded, not with the hex text. */
  secret: Buffer;
}

export function parseAdminKey(key: string | undefined): AdminKey | undefined {
  if (!key || !new RegExp(ADMIN_KEY_PATTERN).test(key)) return undefined;
  const [id, secret] = key.split(':') as [string, string];
  return { id, secret: Buffer.from(secret, 'hex') };
}

/** Ghost takes a token for at most five minutes after its `iat`. */
export const TOKEN_LIFETIME_SECONDS = 5 * 60;

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A token for the Admin API, as Ghost verifies it: HS256 signed with the key's secret, the
 * key id as `kid`, audience `/admin/`, issued now and expiring five minutes later. A fresh
 * one is signed for every request, so none outlives its request.
 */
export function adminToken(key: AdminKey, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  const signing = `${part({ alg: 'HS256', typ: 'JWT', kid: key.id })}.${part({ iat, exp: iat + TOKEN_LIFETIME_SECONDS, aud: '/admin/' })}`;
  return `${signing}.${createHmac('sha256', key.secret).update(signing).digest('base64url')}`;
}
