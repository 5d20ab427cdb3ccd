import type { Knex } from 'knex';

/**
 * Who submitted a post or a piece for review, and who last changed a piece: the people
 * who may not decide on it unless the tenant allows self-approval. A post's author is the
 * author of its current version, which content_post_versions already records.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table content_posts add column submitted_by text;
    alter table content_pieces
      add column submitted_by text check (length(submitted_by) <= 200),
      add column edited_by text check (length(edited_by) <= 200);
    update content_pieces set edited_by = created_by;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table content_pieces drop column edited_by, drop column submitted_by;
    alter table content_posts drop column submitted_by;
  `);
}
