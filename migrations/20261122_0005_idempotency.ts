import type { Knex } from 'knex';
import { enableTenantRls } from '@markettina/sdk';

/**
 * Completed requests made with an `Idempotency-Key`, scoped to tenant and principal. A row
 * is written in the same transaction as the request's effects, so it exists exactly when
 * the effects do. Either `body` (a response as sent) or `problem` (a client error the
 * handler raised) is set.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table idempotency_keys (
      account_id uuid not null references accounts (id) on delete cascade,
      principal_id text not null,
      key text not null check (length(key) between 1 and 255),
      fingerprint text not null,
      status_code smallint not null check (status_code between 100 and 499),
      headers jsonb not null default '{}'::jsonb,
      body bytea,
      problem jsonb,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (account_id, principal_id, key)
    );
    create index idempotency_keys_expiry_idx on idempotency_keys (expires_at);
  `);
  await enableTenantRls(knex, 'idempotency_keys');
  await knex.raw(`
    -- The sweep runs as the owner (SECURITY DEFINER); a delete with a WHERE clause also needs read access.
    create policy sweep_read on idempotency_keys for select using ((select kernel_is_owner('idempotency_keys')));
    create policy sweep on idempotency_keys for delete using ((select kernel_is_owner('idempotency_keys')));

    -- Cross-tenant maintenance: deletes up to p_limit expired keys, oldest first.
    create function kernel_sweep_idempotency_keys(p_limit integer) returns integer
    language plpgsql volatile security definer set search_path = public, pg_temp as $$
    declare v_count integer;
    begin
      delete from idempotency_keys k
      using (select account_id, principal_id, key from idempotency_keys
             where expires_at <= now() order by expires_at limit p_limit) old
      where k.account_id = old.account_id and k.principal_id = old.principal_id and k.key = old.key;
      get diagnostics v_count = row_count;
      return v_count;
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function kernel_sweep_idempotency_keys(integer);
    drop table idempotency_keys;
  `);
}
