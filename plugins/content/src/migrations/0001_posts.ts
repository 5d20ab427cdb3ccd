import type { Knex } from 'knex';
import { enableTenantRls } from '@markettina/sdk';

/**
 * Posts, their immutable versions and where they are scheduled.
 *
 * A post row carries what lists filter on (statuses, the current version's normalised
 * hashtags, mentions and variant platforms), so a listing never opens the versions. A
 * schedule row mirrors one publication of the social plugin (status, outcome), so listings
 * and the calendar never read another plugin's tables.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table content_posts (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      version integer not null default 1 check (version >= 1),
      title text not null default '',
      approval_status text not null default 'draft' check (approval_status in ('draft', 'review', 'approved', 'rejected')),
      reviewed_version integer,
      reviewed_by text,
      reviewed_at timestamptz,
      rejection_reason text,
      delivery_status text not null default 'unscheduled'
        check (delivery_status in ('unscheduled', 'scheduled', 'published', 'partially_published', 'failed')),
      -- A campaign of the campaigns plugin, checked when set; no foreign key, since that
      -- plugin may not be installed.
      campaign_id uuid,
      hashtags text[] not null default '{}',
      mentions text[] not null default '{}',
      platforms text[] not null default '{}',
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (account_id, id)
    );
    create index content_posts_page_idx on content_posts (account_id, created_at desc, id desc);
    create index content_posts_approval_idx on content_posts (account_id, approval_status, created_at desc, id desc);
    create index content_posts_delivery_idx on content_posts (account_id, delivery_status, created_at desc, id desc);
    create index content_posts_campaign_idx on content_posts (account_id, campaign_id, created_at desc, id desc) where campaign_id is not null;
    create index content_posts_hashtags_idx on content_posts using gin (hashtags);
    create index content_posts_mentions_idx on content_posts using gin (mentions);
    create index content_posts_platforms_idx on content_posts using gin (platforms);

    create table content_post_versions (
      account_id uuid not null,
      post_id uuid not null,
      version integer not null check (version >= 1),
      content jsonb not null check (jsonb_typeof(content) = 'object'),
      hashtags text[] not null default '{}',
      mentions text[] not null default '{}',
      restored_from integer,
      author_id text,
      created_at timestamptz not null default now(),
      primary key (account_id, post_id, version),
      foreign key (account_id, post_id) references content_posts (account_id, id) on delete cascade
    );

    -- A version is history: it is written once and never changed (deleting the post removes it).
    create function content_post_versions_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'content_post_versions rows are immutable' using errcode = 'restrict_violation';
    end $$;
    create trigger content_post_versions_no_update before update on content_post_versions
      for each row execute function content_post_versions_immutable();

    create table content_post_schedules (
      account_id uuid not null,
      id uuid not null default gen_random_uuid(),
      post_id uuid not null,
      version integer not null,
      social_account_id uuid not null,
      connector text not null,
      publication_id uuid not null,
      due_at timestamptz not null,
      time_zone text,
      status text not null default 'scheduled' check (status in ('scheduled', 'published', 'failed', 'unconfirmed', 'cancelled')),
      external_id text,
      url text,
      published_at timestamptz,
      failure_code text,
      failure_reason text,
      -- Where the calendar shows it: when it went live, else when it is due.
      calendar_at timestamptz generated always as (coalesce(published_at, due_at)) stored,
      -- The clock, not the transaction's start: the targets of one request keep their order.
      created_at timestamptz not null default clock_timestamp(),
      updated_at timestamptz not null default now(),
      primary key (account_id, id),
      unique (account_id, publication_id),
      foreign key (account_id, post_id) references content_posts (account_id, id) on delete cascade,
      foreign key (account_id, post_id, version) references content_post_versions (account_id, post_id, version) on delete cascade
    );
    -- One publication in flight per post and account: scheduling twice would publish twice.
    create unique index content_post_schedules_live_idx on content_post_schedules (account_id, post_id, social_account_id) where status = 'scheduled';
    create index content_post_schedules_post_idx on content_post_schedules (account_id, post_id, created_at);
    create index content_post_schedules_calendar_idx on content_post_schedules (account_id, calendar_at) where status <> 'cancelled';
  `);
  for (const table of ['content_posts', 'content_post_versions', 'content_post_schedules']) await enableTenantRls(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table content_post_schedules;
    drop table content_post_versions;
    drop function content_post_versions_immutable();
    drop table content_posts;
  `);
}
