import type { Knex } from 'knex';

/** The one expression every tenant policy uses: no tenant set means no rows. */
export const CURRENT_ACCOUNT = "nullif(current_setting('app.current_account_id', true), '')::uuid";

/**
 * Puts a tenant table under row level security: enabled, forced (so the owner is bound
 * too) and a policy that admits only the current tenant's rows for reads and writes.
 */
export async function enableTenantRls(knex: Knex, table: string, column = 'account_id'): Promise<void> {
  await knex.raw('alter table ?? enable row level security', [table]);
  await knex.raw('alter table ?? force row level security', [table]);
  await knex.raw(
    `create policy tenant_isolation on ?? using (?? = ${CURRENT_ACCOUNT}) with check (?? = ${CURRENT_ACCOUNT})`,
    [table, column, column],
  );
}
