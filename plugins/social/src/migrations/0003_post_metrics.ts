import { enableTenantRls, type Migration } from '@markettina/sdk';

/**
 * Metrics of published publications: every read of the platform's counters kept as a
 * snapshot, and per publication when it is read next.
 *
 * The bookkeeping lives in a table of its own rather than on `social_publications`: a row
 * exists from the moment a publication goes live until its syncing stops, and the due
 * query walks one small partial index per connected account (`state = 'active'`) instead
 * of the publishing pipeline's table.
 */
export const postMetricsSchema: Migration = {
  name: '0003_post_metrics',
  async up(knex) {
    await knex.raw(`
      create table social_publication_metrics (
        account_id uuid not null references accounts (id),
        id uuid not null default gen_random_uuid(),
        publication_id uuid not null,
        synced_at timestamptz not null,
        -- As the platform reported them; null where it reports no such metric. A value lower
        -- than the previous snapshot's is a correction by the platform and is kept as is.
        views bigint check (views >= 0),
        impressions bigint check (impressions >= 0),
        likes bigint check (likes >= 0),
        comments bigint check (comments >= 0),
        shares bigint check (shares >= 0),
        clicks bigint check (clicks >= 0),
        saves bigint check (saves >= 0),
        engagement_rate double precision check (engagement_rate >= 0),
        primary key (account_id, id),
        foreign key (account_id, publication_id) references social_publications (account_id, id) on delete cascade
      )`);
    await knex.raw(`create index social_publication_metrics_history_idx on social_publication_metrics (account_id, publication_id, synced_at desc, id desc)`);
    await knex.raw(`
      create table social_publication_metrics_sync (
        account_id uuid not null references accounts (id),
        publication_id uuid not null,
        social_account_id uuid not null,
        published_at timestamptz not null,
        -- active: read again at next_sync_at; deleted: gone from the platform; finished: past
        -- the cadence's horizon; unsupported: the platform exposes no post metrics.
        state text not null default 'active' check (state in ('active', 'deleted', 'finished', 'unsupported')),
        next_sync_at timestamptz,
        last_synced_at timestamptz,
        failures integer not null default 0 check (failures >= 0),
        last_error text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (account_id, publication_id),
        foreign key (account_id, publication_id) references social_publications (account_id, id) on delete cascade,
        foreign key (account_id, social_account_id) references social_accounts (account_id, id) on delete cascade,
        check ((state = 'active') = (next_sync_at is not null))
      )`);
    // The due query: per connected account, its active rows in (next_sync_at, publication_id)
    // order, so taking the first few of a long backlog reads only those.
    await knex.raw(
      `create index social_publication_metrics_sync_due_idx on social_publication_metrics_sync (account_id, social_account_id, next_sync_at, publication_id) where state = 'active'`,
    );
    for (const table of ['social_publication_metrics', 'social_publication_metrics_sync']) await enableTenantRls(knex, table);
  },
  async down(knex) {
    await knex.raw('drop table social_publication_metrics_sync');
    await knex.raw('drop table social_publication_metrics');
  },
};
