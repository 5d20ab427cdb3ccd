import type { Knex } from 'knex';
import { enableTenantRls } from '@markettina/sdk';

/**
 * Campaigns, one tenant's each. The domain checks the invariants first and answers with a
 * precise problem; the CHECK constraints keep them true for any writer that skips it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table campaigns (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      name text not null check (length(name) between 1 and 200),
      description text not null default '' check (length(description) <= 5000),
      goals jsonb not null default '[]' check (jsonb_typeof(goals) = 'array'),
      start_date date not null,
      end_date date not null,
      budget_tokens bigint not null check (budget_tokens >= 0),
      spent_tokens bigint not null default 0 check (spent_tokens >= 0),
      status text not null default 'planning' check (status in ('planning', 'active', 'paused', 'completed')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (account_id, id),
      constraint campaigns_dates_check check (start_date <= end_date),
      constraint campaigns_budget_check check (spent_tokens <= budget_tokens)
    );
    create index campaigns_page_idx on campaigns (account_id, created_at desc, id desc);
    create index campaigns_status_idx on campaigns (account_id, status, created_at desc, id desc);
    create index campaigns_dates_idx on campaigns (account_id, start_date, end_date);
  `);
  await enableTenantRls(knex, 'campaigns');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table campaigns');
}
