import type { Knex } from 'knex';
import { CURRENT_ACCOUNT, enableTenantRls } from '@markettina/sdk';

/**
 * Tenants and per-tenant plugin enablement. `accounts` is keyed by `id` (it is the tenant);
 * its policy also admits the table owner so that the kernel's SECURITY DEFINER directory
 * functions can list tenants without giving the app role a way around RLS.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table accounts (
      id uuid primary key,
      name text not null check (length(name) between 1 and 200),
      plan_tier text not null default 'free' check (plan_tier in ('free', 'starter', 'pro', 'enterprise')),
      status text not null default 'active' check (status in ('active', 'suspended', 'closed')),
      parent_id uuid references accounts (id),
      settings jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (parent_id is null or parent_id <> id)
    );
    create index accounts_parent_idx on accounts (parent_id) where parent_id is not null;

    create function kernel_is_owner(tbl regclass) returns boolean language sql stable as $$
      select current_user = (select pg_get_userbyid(relowner) from pg_class where oid = tbl)
    $$;

    -- Policies call kernel_is_owner() through a scalar subquery: uncorrelated, so it is
    -- evaluated once per statement instead of once per row.
    alter table accounts enable row level security;
    alter table accounts force row level security;
    create policy tenant_isolation on accounts
      using (id = ${CURRENT_ACCOUNT} or (select kernel_is_owner('accounts')))
      with check (id = ${CURRENT_ACCOUNT} or (select kernel_is_owner('accounts')));

    create table tenant_plugins (
      account_id uuid not null references accounts (id) on delete cascade,
      plugin_id text not null,
      enabled boolean not null,
      settings jsonb not null default '{}'::jsonb,
      secrets text,
      updated_at timestamptz not null default now(),
      primary key (account_id, plugin_id)
    );
  `);
  await enableTenantRls(knex, 'tenant_plugins');
  await knex.raw(`
    create policy directory on tenant_plugins for select using ((select kernel_is_owner('tenant_plugins')));

    -- Sets the tenant for the current transaction and reports what the kernel must check
    -- before serving it, in one round trip.
    create function kernel_enter_tenant(p_account uuid, p_plugin text)
    returns table (plan_tier text, status text, plugin_enabled boolean)
    language plpgsql volatile as $$
    begin
      perform set_config('app.current_account_id', p_account::text, true);
      return query
        select a.plan_tier, a.status,
               (p_plugin is null or exists (
                 select 1 from tenant_plugins tp
                 where tp.account_id = p_account and tp.plugin_id = p_plugin and tp.enabled))
        from accounts a where a.id = p_account;
    end $$;

    -- The explicit cross-tenant path: ids only, for the kernel's tenant iteration.
    create function kernel_tenant_directory(p_plugin text)
    returns table (id uuid, plan_tier text)
    language sql stable security definer set search_path = public, pg_temp as $$
      select a.id, a.plan_tier from accounts a
      where a.status = 'active'
        and (p_plugin is null or exists (
          select 1 from tenant_plugins tp where tp.account_id = a.id and tp.plugin_id = p_plugin and tp.enabled))
      order by a.id
    $$;

    create function kernel_list_accounts()
    returns table (id uuid, name text, plan_tier text, status text, parent_id uuid, created_at timestamptz)
    language sql stable security definer set search_path = public, pg_temp as $$
      select id, name, plan_tier, status, parent_id, created_at from accounts order by created_at, id
    $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function kernel_list_accounts();
    drop function kernel_tenant_directory(text);
    drop function kernel_enter_tenant(uuid, text);
    drop table tenant_plugins;
    drop table accounts;
    drop function kernel_is_owner(regclass);
  `);
}
