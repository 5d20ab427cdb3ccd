import type { Knex } from 'knex';
import { enableTenantRls } from '@markettina/sdk';

/**
 * Feature flags. Definitions are global kernel data (no tenant owns them); overrides are
 * tenant-owned, keyed by account first and under forced RLS. Every change notifies the
 * `markettina_flags` channel on commit, so each node drops what it cached at once, whoever
 * made the change and however (API, boot sync, or SQL by hand).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table flag_definitions (
      key text primary key
        check (key ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*\\.[a-z0-9]+([._-][a-z0-9]+)*$' and length(key) <= 100),
      owner text not null check (owner = split_part(key, '.', 1)),
      origin text not null check (origin in ('declared', 'admin')),
      description text not null default '' check (length(description) <= 1000),
      type text not null check (type in ('boolean', 'string', 'number', 'object')),
      default_value jsonb not null,
      enabled boolean not null default true,
      rollout jsonb,
      targeting jsonb not null default '[]'::jsonb check (jsonb_typeof(targeting) = 'array'),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table flag_overrides (
      account_id uuid not null references accounts (id) on delete cascade,
      flag_key text not null references flag_definitions (key) on delete cascade,
      value jsonb not null,
      updated_at timestamptz not null default now(),
      primary key (account_id, flag_key)
    );
    create index flag_overrides_flag_idx on flag_overrides (flag_key);
  `);
  await enableTenantRls(knex, 'flag_overrides');
  await knex.raw(`
    -- Identical payloads are folded by PostgreSQL within a transaction, so a bulk change
    -- sends one message per tenant (or one for all definitions), not one per row.
    create function kernel_flags_notify() returns trigger language plpgsql as $$
    begin
      if tg_table_name = 'flag_definitions' then
        perform pg_notify('markettina_flags', '{"scope":"definitions"}');
      else
        perform pg_notify('markettina_flags', json_build_object(
          'scope', 'tenant',
          'accountId', case when tg_op = 'DELETE' then old.account_id else new.account_id end)::text);
      end if;
      return null;
    end $$;

    create trigger flag_definitions_notify after insert or update or delete on flag_definitions
      for each row execute function kernel_flags_notify();
    create trigger flag_overrides_notify after insert or update or delete on flag_overrides
      for each row execute function kernel_flags_notify();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table flag_overrides;
    drop table flag_definitions;
    drop function kernel_flags_notify();
  `);
}
