import { enableTenantRls, type Migration } from '@markettina/sdk';

/**
 * Connected accounts and what connecting them needs. Every secret column holds a value
 * sealed with the kernel's secret box (AES-256-GCM), bound to its row.
 */
export const socialSchema: Migration = {
  name: '0001_social',
  async up(knex) {
    await knex.raw(`
      create table social_oauth_clients (
        account_id uuid not null references accounts (id),
        id uuid not null,
        connector text not null,
        origin text not null,
        redirect_uri text not null,
        client_id text not null,
        client_secret_sealed text,
        created_at timestamptz not null default now(),
        primary key (account_id, id),
        unique (account_id, connector, origin, redirect_uri)
      )`);
    await knex.raw(`
      create table social_oauth_flows (
        account_id uuid not null references accounts (id),
        id uuid not null,
        connector text not null,
        state_hash text not null,
        secret_sealed text not null,
        principal_id text not null,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null default now(),
        primary key (account_id, id),
        unique (account_id, state_hash)
      )`);
    await knex.raw(`
      create table social_accounts (
        account_id uuid not null references accounts (id),
        id uuid not null,
        connector text not null,
        origin text not null,
        external_id text not null,
        display_name text not null,
        handle text,
        profile_url text,
        settings jsonb not null default '{}',
        channels jsonb,
        oauth_client_id uuid,
        credentials_sealed text,
        credentials_version integer not null default 1,
        token_expires_at timestamptz,
        status text not null check (status in ('pending_channel', 'connected', 'reconnect_required', 'disconnected')),
        health text not null default 'ok' check (health in ('ok', 'degraded', 'failing')),
        last_error text,
        refresh_failures integer not null default 0,
        last_refreshed_at timestamptz,
        connected_by text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (account_id, id),
        unique (account_id, connector, external_id),
        foreign key (account_id, oauth_client_id) references social_oauth_clients (account_id, id)
      )`);
    await knex.raw(`create index social_accounts_refresh_idx on social_accounts (account_id, token_expires_at) where status = 'connected'`);
    await knex.raw(`create index social_accounts_page_idx on social_accounts (account_id, created_at, id)`);
    await knex.raw(`
      create table social_posts (
        account_id uuid not null references accounts (id),
        id uuid not null,
        social_account_id uuid not null,
        status text not null check (status in ('pending', 'published', 'failed', 'unconfirmed', 'deleted')),
        draft jsonb not null,
        external_id text,
        url text,
        parts jsonb not null default '[]',
        pending_ref text,
        failure_code text,
        failure_reason text,
        metrics jsonb,
        metrics_at timestamptz,
        created_by text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (account_id, id),
        foreign key (account_id, social_account_id) references social_accounts (account_id, id)
      )`);
    for (const table of ['social_oauth_clients', 'social_oauth_flows', 'social_accounts', 'social_posts']) await enableTenantRls(knex, table);
  },
};
