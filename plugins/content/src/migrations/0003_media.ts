import type { Knex } from 'knex';
import { enableTenantRls } from '@markettina/sdk';

/**
 * Media assets: one row per distinct file of a tenant (identical bytes are stored once,
 * hence the unique sha256), pointing at its blob in the kernel's blob store, with the
 * tags (MediaTag) the tenant filters by.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table content_media_assets (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      file_name text not null check (length(file_name) between 1 and 255),
      mime_type text not null check (mime_type in ('image/png', 'image/jpeg', 'image/gif', 'image/webp', 'video/mp4')),
      size_bytes bigint not null check (size_bytes > 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      width integer check (width > 0),
      height integer check (height > 0),
      alt_text text check (length(alt_text) between 1 and 1500),
      blob_key text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (account_id, id),
      unique (account_id, sha256),
      unique (account_id, blob_key)
    );
    create index content_media_assets_page_idx on content_media_assets (account_id, created_at desc, id desc);
    create index content_media_assets_type_idx on content_media_assets (account_id, mime_type text_pattern_ops, created_at desc, id desc);

    create table content_media_tags (
      account_id uuid not null,
      asset_id uuid not null,
      tag text not null check (length(tag) between 1 and 50),
      position smallint not null check (position >= 0),
      primary key (account_id, asset_id, tag),
      foreign key (account_id, asset_id) references content_media_assets (account_id, id) on delete cascade
    );
    create index content_media_tags_tag_idx on content_media_tags (account_id, tag, asset_id);
  `);
  for (const table of ['content_media_assets', 'content_media_tags']) await enableTenantRls(knex, table);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table content_media_tags; drop table content_media_assets;');
}
