import { createHash } from 'node:crypto';

/**
 * Where a tenant falls in a flag's rollout, in [0, 1): the first 4 bytes of
 * sha256("<flag key>:<tenant id>") read as an unsigned integer over 2^32. The same tenant
 * gets the same bucket on every node and after every restart; hashing the key in means
 * the 10% of tenants in one flag's rollout are not the same 10% in every other flag's; and
 * raising a percentage only adds tenants, it never drops one that was already in.
 */
export function rolloutBucket(flagKey: string, tenantId: string): number {
  return createHash('sha256').update(`${flagKey}:${tenantId}`).digest().readUInt32BE(0) / 2 ** 32;
}

export const inRollout = (flagKey: string, tenantId: string, percentage: number) => rolloutBucket(flagKey, tenantId) < percentage / 100;
