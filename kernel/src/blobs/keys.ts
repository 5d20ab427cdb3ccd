import { randomBytes } from 'node:crypto';

/**
 * Blob keys are `<tenant id>/<32 hex digits>`: chosen by the store, never derived from user
 * input, so a key can only ever name a file or object inside its tenant's space.
 */
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const KEY_ID = /^[0-9a-f]{32}$/;

export function assertTenantId(tenantId: string): void {
  if (!TENANT_ID.test(tenantId)) throw new Error(`blob store: "${tenantId}" is not a tenant id`);
}

export function newBlobKey(tenantId: string): { key: string; id: string } {
  assertTenantId(tenantId);
  const id = randomBytes(16).toString('hex');
  return { key: `${tenantId}/${id}`, id };
}

/** The random part of `key` if it is a well-formed key of `tenantId`; undefined for anything else. */
export function blobIdOf(tenantId: string, key: string): string | undefined {
  if (!TENANT_ID.test(tenantId) || typeof key !== 'string') return undefined;
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== tenantId) return undefined;
  const id = key.slice(slash + 1);
  return KEY_ID.test(id) ? id : undefined;
}
