import type { Knex } from 'knex';
import { enableTenantRls } from '@markettina/sdk';

/**
 * The tenant side of identity: roles, users, credentials. `account_id` leads every key and
 * every foreign key between these tables, and each table is under forced row level security.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table identity_roles (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      key text not null check (key ~ '^[a-z][a-z0-9_-]{1,49}$'),
      name text not null check (length(name) between 1 and 100),
      description text not null default '' check (length(description) <= 500),
      builtin boolean not null default false,
      permissions text[] not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (account_id, id),
      unique (account_id, key)
    );

    create table identity_users (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      email text not null check (email = lower(email) and length(email) between 3 and 254),
      display_name text not null default '' check (length(display_name) <= 200),
      password_hash text,
      email_verified boolean not null default false,
      role_id uuid not null,
      status text not null default 'active' check (status in ('active', 'disabled')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (account_id, id),
      unique (account_id, email),
      foreign key (account_id, role_id) references identity_roles (account_id, id)
    );
    create index identity_users_role_idx on identity_users (account_id, role_id);

    create table identity_api_keys (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null,
      name text not null check (length(name) between 1 and 100),
      prefix text not null,
      secret_hash bytea not null,
      scopes text[] not null,
      created_by uuid,
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (account_id, id)
    );

    create table identity_trusted_devices (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null,
      user_id uuid not null,
      name text not null default '' check (length(name) <= 200),
      secret_hash bytea not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      primary key (account_id, id),
      foreign key (account_id, user_id) references identity_users (account_id, id) on delete cascade
    );
    create index identity_devices_user_idx on identity_trusted_devices (account_id, user_id);

    -- A session is one refresh-token family, started by a login.
    create table identity_sessions (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      user_id uuid not null,
      device_id uuid,
      user_agent text check (length(user_agent) <= 500),
      created_at timestamptz not null default now(),
      last_refreshed_at timestamptz,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      revoked_reason text,
      primary key (account_id, id),
      foreign key (account_id, user_id) references identity_users (account_id, id) on delete cascade,
      foreign key (account_id, device_id) references identity_trusted_devices (account_id, id) on delete set null (device_id)
    );
    create index identity_sessions_user_idx on identity_sessions (account_id, user_id);

    create table identity_refresh_tokens (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null,
      session_id uuid not null,
      secret_hash bytea not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      primary key (account_id, id),
      foreign key (account_id, session_id) references identity_sessions (account_id, id) on delete cascade
    );
    create index identity_refresh_session_idx on identity_refresh_tokens (account_id, session_id);

    create table identity_email_verifications (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null,
      user_id uuid not null,
      secret_hash bytea not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      primary key (account_id, id),
      foreign key (account_id, user_id) references identity_users (account_id, id) on delete cascade
    );

    -- Parent-to-child switches, recorded on both sides: the parent sees who went where,
    -- the child sees who came in from its parent.
    create table identity_account_switches (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      direction text not null check (direction in ('to_child', 'from_parent')),
      other_account_id uuid not null,
      actor_id uuid not null,
      actor_type text not null,
      created_at timestamptz not null default now(),
      primary key (account_id, id)
    );
  `);
  for (const table of [
    'identity_roles',
    'identity_users',
    'identity_api_keys',
    'identity_trusted_devices',
    'identity_sessions',
    'identity_refresh_tokens',
    'identity_email_verifications',
    'identity_account_switches',
  ]) {
    await enableTenantRls(knex, table);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table identity_account_switches;
    drop table identity_email_verifications;
    drop table identity_refresh_tokens;
    drop table identity_sessions;
    drop table identity_trusted_devices;
    drop table identity_api_keys;
    drop table identity_users;
    drop table identity_roles;
  `);
}
