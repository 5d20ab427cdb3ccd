import type { Knex } from 'knex';
import { CURRENT_ACCOUNT } from '@markettina/sdk';

/**
 * Sub-accounts of the current tenant. Row level security lets a tenant read only its own
 * `accounts` row, so listing its children needs this narrow SECURITY DEFINER path: it
 * answers only for the parent the transaction is bound to, never for another account.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function kernel_account_children(p_parent uuid)
    returns table (id uuid, name text, plan_tier text, status text, parent_id uuid, settings jsonb, created_at timestamptz)
    language sql stable security definer set search_path = public, pg_temp as $$
      select id, name, plan_tier, status, parent_id, settings, created_at from accounts
      where parent_id = p_parent and p_parent = ${CURRENT_ACCOUNT}
      order by created_at, id
    $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function kernel_account_children(uuid)');
}
