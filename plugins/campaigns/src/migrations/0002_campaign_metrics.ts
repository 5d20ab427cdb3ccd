import type { Knex } from 'knex';
import { enableTenantRls } from '@markettina/sdk';

/**
 * What the campaign roll-up reads: the latest totals of every publication of a campaign,
 * as the social plugin's events reported them, and the goals already announced as reached.
 * Rows go with their campaign. Publications are another plugin's rows, so they are referred
 * to by id only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table campaign_publication_metrics (
      account_id uuid not null,
      campaign_id uuid not null,
      publication_id uuid not null,
      social_account_id uuid not null,
      connector text not null,
      -- Set by PostPublished; a row that only MetricsSynced has reached yet still counts as published.
      published_at timestamptz,
      -- When the platform was read for the totals below; null until the first MetricsSynced.
      synced_at timestamptz,
      views bigint check (views >= 0),
      impressions bigint check (impressions >= 0),
      likes bigint check (likes >= 0),
      comments bigint check (comments >= 0),
      shares bigint check (shares >= 0),
      clicks bigint check (clicks >= 0),
      saves bigint check (saves >= 0),
      engagements bigint check (engagements >= 0),
      engagement_base bigint check (engagement_base > 0),
      engagement_rate double precision check (engagement_rate >= 0),
      updated_at timestamptz not null default now(),
      primary key (account_id, campaign_id, publication_id),
      foreign key (account_id, campaign_id) references campaigns (account_id, id) on delete cascade
    )
  `);
  await knex.raw(`
    create table campaign_goals_reached (
      account_id uuid not null,
      campaign_id uuid not null,
      kpi text not null,
      -- A raised target can be reached (and announced) again.
      target numeric not null,
      actual numeric not null,
      reached_at timestamptz not null default now(),
      primary key (account_id, campaign_id, kpi, target),
      foreign key (account_id, campaign_id) references campaigns (account_id, id) on delete cascade
    )
  `);
  for (const table of ['campaign_publication_metrics', 'campaign_goals_reached']) await enableTenantRls(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table campaign_goals_reached');
  await knex.raw('drop table campaign_publication_metrics');
}
