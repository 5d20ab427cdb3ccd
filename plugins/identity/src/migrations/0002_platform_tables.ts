import type { Knex } from 'knex';

/**
 * The platform side of identity: administrators, their sessions and audit log, token
 * signing keys, and the accounts identity set up itself. These tables belong to no tenant
 * (no `account_id`), so they are not under row level security.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- One row: the account platform administrators act from, and the demo tenant if any.
    create table identity_platform (
      singleton boolean primary key default true check (singleton),
      platform_account uuid references accounts (id),
      demo_account uuid references accounts (id),
      updated_at timestamptz not null default now()
    );
    insert into identity_platform (singleton) values (true);

    -- Access-token signing secrets, sealed with the deployment's secret box.
    create table identity_signing_keys (
      kid text primary key,
      sealed_secret text not null,
      created_at timestamptz not null default now()
    );

    create table identity_admin_users (
      id uuid primary key default gen_random_uuid(),
      email text not null unique check (email = lower(email) and length(email) between 3 and 254),
      display_name text not null default '' check (length(display_name) <= 200),
      password_hash text not null,
      totp_secret text not null,
      totp_last_step bigint not null default 0,
      status text not null default 'active' check (status in ('active', 'disabled')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table identity_admin_sessions (
      id uuid primary key,
      admin_id uuid not null references identity_admin_users (id) on delete cascade,
      secret_hash bytea not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz
    );
    create index identity_admin_sessions_admin_idx on identity_admin_sessions (admin_id);

    create table identity_admin_audit (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      admin_id uuid,
      action text not null,
      outcome text not null check (outcome in ('success', 'failure')),
      target_account uuid,
      target text,
      details jsonb not null default '{}'::jsonb,
      request_id text
    );

    -- Append-only, enforced by the database: the app role is granted UPDATE and DELETE on
    -- every table, so the rule lives in triggers that refuse them.
    create function identity_admin_audit_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the admin audit log is append-only' using errcode = 'MKI01';
    end $$;
    create trigger identity_admin_audit_no_update before update or delete on identity_admin_audit
      for each row execute function identity_admin_audit_append_only();
    create trigger identity_admin_audit_no_truncate before truncate on identity_admin_audit
      for each statement execute function identity_admin_audit_append_only();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table identity_admin_audit;
    drop function identity_admin_audit_append_only();
    drop table identity_admin_sessions;
    drop table identity_admin_users;
    drop table identity_signing_keys;
    drop table identity_platform;
  `);
}
