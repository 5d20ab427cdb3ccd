import type { Knex } from 'knex';
import { enableTenantRls } from '@markettina/sdk';

/**
 * Templates with typed variables, and content pieces with their repurposing chain, review
 * and scores. The domain checks everything first and answers with a precise problem; the
 * constraints and the trigger keep the same rules for any writer that skips it.
 *
 * `campaign_id` has no foreign key: the campaigns plugin is optional, and the content plugin
 * checks the reference through the campaigns directory when it is installed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table content_templates (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      name text not null check (length(name) between 1 and 200),
      description text not null default '' check (length(description) <= 2000),
      content_type text not null check (content_type in ('blog', 'social_post', 'thread', 'carousel', 'video_script', 'email')),
      platform text check (length(platform) <= 64 and platform ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
      body text not null check (length(body) between 1 and 20000),
      variables jsonb not null default '[]' check (jsonb_typeof(variables) = 'array' and jsonb_array_length(variables) <= 100),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (account_id, id)
    );
    create unique index content_templates_name_key on content_templates (account_id, lower(name));
    create index content_templates_page_idx on content_templates (account_id, created_at desc, id desc);
    create index content_templates_type_idx on content_templates (account_id, content_type, created_at desc, id desc);
    create index content_templates_platform_idx on content_templates (account_id, platform, created_at desc, id desc) where platform is not null;

    create table content_pieces (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      type text not null check (type in ('blog', 'social_post', 'thread', 'carousel', 'video_script', 'email')),
      title text not null check (length(title) between 1 and 300),
      body text not null check (length(body) <= 100000),
      parts text[] not null default '{}' check (cardinality(parts) <= 100),
      keywords text[] not null default '{}' check (cardinality(keywords) <= 20),
      meta_title text check (length(meta_title) <= 300),
      meta_description text check (length(meta_description) <= 1000),
      campaign_id uuid,
      platform text check (length(platform) <= 64 and platform ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
      parent_id uuid,
      generated_by text not null default 'user' check (generated_by in ('user', 'ai', 'hybrid')),
      status text not null default 'draft' check (status in ('draft', 'review', 'approved', 'rejected')),
      reviewed_by text check (length(reviewed_by) <= 200),
      review_notes text check (length(review_notes) <= 2000),
      reviewed_at timestamptz,
      approved_at timestamptz,
      quality_score smallint not null check (quality_score between 0 and 100),
      readability_score smallint not null check (readability_score between 0 and 100),
      seo_score smallint not null check (seo_score between 0 and 100),
      analysis jsonb not null check (jsonb_typeof(analysis) = 'object'),
      created_by text check (length(created_by) <= 200),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (account_id, id),
      constraint content_pieces_parent_fkey foreign key (account_id, parent_id) references content_pieces (account_id, id),
      constraint content_pieces_not_own_parent check (parent_id is null or parent_id <> id),
      constraint content_pieces_review_check check (
        (status <> 'approved' or (approved_at is not null and reviewed_by is not null))
        and (status <> 'rejected' or reviewed_by is not null)
      )
    );
    create index content_pieces_page_idx on content_pieces (account_id, created_at desc, id desc);
    create index content_pieces_status_idx on content_pieces (account_id, status, created_at desc, id desc);
    create index content_pieces_type_idx on content_pieces (account_id, type, created_at desc, id desc);
    create index content_pieces_campaign_idx on content_pieces (account_id, campaign_id, created_at desc, id desc) where campaign_id is not null;
    create index content_pieces_platform_idx on content_pieces (account_id, platform, created_at desc, id desc) where platform is not null;
    create index content_pieces_children_idx on content_pieces (account_id, parent_id, created_at, id) where parent_id is not null;

    -- A piece is never its own ancestor. Only a change of parent can close a loop (a new row
    -- has no descendants). Parent changes of one tenant take turns on an advisory lock, so two
    -- concurrent moves cannot each pass the check and together make a loop. The walk is
    -- bounded so that even a loop written around this trigger cannot make it spin.
    create function content_pieces_no_cycle() returns trigger language plpgsql as $$
    begin
      if new.parent_id is null then
        return new;
      end if;
      perform pg_advisory_xact_lock(hashtext('content_pieces_chain'), hashtext(new.account_id::text));
      if exists (
        with recursive up (id, parent_id, depth) as (
          select p.id, p.parent_id, 1 from content_pieces p where p.account_id = new.account_id and p.id = new.parent_id
          union all
          select p.id, p.parent_id, up.depth + 1 from content_pieces p join up on p.account_id = new.account_id and p.id = up.parent_id where up.depth < 100
        )
        select 1 from up where up.id = new.id
      ) then
        raise exception 'content piece % would be its own ancestor', new.id
          using errcode = 'check_violation', constraint = 'content_pieces_no_cycle', table = 'content_pieces';
      end if;
      return new;
    end
    $$;
    create trigger content_pieces_no_cycle before update of parent_id on content_pieces
      for each row execute function content_pieces_no_cycle();
  `);
  await enableTenantRls(knex, 'content_templates');
  await enableTenantRls(knex, 'content_pieces');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table content_pieces; drop function content_pieces_no_cycle(); drop table content_templates;');
}
