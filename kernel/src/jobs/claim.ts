import type { Knex } from 'knex';

/** A job this node now holds: ids only, the rest is read inside the tenant transaction. */
export interface Claim {
  accountId: string;
  id: string;
  pluginId: string;
  /** The attempt number; it fences this run against a later claim of the same job. */
  attempt: number;
}

/** Claims up to `limit` due jobs of `types` across tenants (FOR UPDATE SKIP LOCKED inside the definer function). */
export async function claimJobs(knex: Knex, types: string[], limit: number, leaseMs: number): Promise<Claim[]> {
  if (types.length === 0 || limit < 1) return [];
  const { rows } = await knex.raw<{ rows: { account_id: string; id: string; plugin_id: string; attempt: number }[] }>(
    'select * from kernel_claim_jobs(?::text[], ?, ?)',
    [types, limit, leaseMs],
  );
  return rows.map((r) => ({ accountId: r.account_id, id: r.id, pluginId: r.plugin_id, attempt: r.attempt }));
}
