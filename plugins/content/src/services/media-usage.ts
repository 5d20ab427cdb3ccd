import type { Knex } from 'knex';

// `\\?` is a literal "?" for knex, which otherwise takes it for a positional binding.
const MENTIONS_ASSET = `jsonb_path_exists(v.content, '$.**.assetId \\? (@ == $id)', jsonb_build_object('id', cast(:assetId as text)))`;

/**
 * Posts that still need an asset: those whose current version shows it (base, thread or a
 * platform variant), and those with a publication still scheduled for a version that does.
 * An older version alone does not hold an asset: restoring it then reports the asset
 * missing instead of keeping every file ever attached forever.
 */
export async function postsUsingMedia(db: Knex.Transaction, assetId: string, limit = 20): Promise<string[]> {
  const { rows } = await db.raw<{ rows: { post_id: string }[] }>(
    `select p.id as post_id
       from content_posts p
       join content_post_versions v on v.account_id = p.account_id and v.post_id = p.id and v.version = p.version
      where ${MENTIONS_ASSET}
     union
     select s.post_id
       from content_post_schedules s
       join content_post_versions v on v.account_id = s.account_id and v.post_id = s.post_id and v.version = s.version
      where s.status = 'scheduled' and ${MENTIONS_ASSET}
     order by post_id
     limit :limit`,
    { assetId, limit },
  );
  return rows.map((r) => r.post_id);
}
