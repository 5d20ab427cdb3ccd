import type { Knex } from 'knex';
import type { PostMetrics, PostStatus } from '@markettina/sdk';
import type { RestDraft } from '../domain/drafts.js';

export type PostState = 'pending' | 'published' | 'failed' | 'unconfirmed' | 'deleted';

export interface PostRow {
  account_id: string;
  id: string;
  social_account_id: string;
  status: PostState;
  draft: RestDraft;
  external_id: string | null;
  url: string | null;
  parts: { externalId: string; url?: string }[];
  pending_ref: string | null;
  failure_code: string | null;
  failure_reason: string | null;
  metrics: PostMetrics | null;
  metrics_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export const findPost = (db: Knex.Transaction, id: string) => db<PostRow>('social_posts').where({ id }).first();

export async function insertPost(db: Knex.Transaction, p: { accountId: string; id: string; socialAccountId: string; draft: RestDraft; createdBy: string | null }): Promise<void> {
  await db('social_posts').insert({ account_id: p.accountId, id: p.id, social_account_id: p.socialAccountId, status: 'pending', draft: JSON.stringify(p.draft), created_by: p.createdBy });
}

/** The columns a platform outcome sets. */
export function outcomeColumns(result: PostStatus): Partial<Record<keyof PostRow, unknown>> {
  switch (result.status) {
    case 'published':
      return { status: 'published', external_id: result.externalId, url: result.url ?? null, parts: JSON.stringify(result.parts), pending_ref: null, failure_code: null, failure_reason: null };
    case 'pending':
      return { status: 'pending', pending_ref: result.pending };
    case 'failed':
      return { status: 'failed', pending_ref: null, failure_code: result.code, failure_reason: result.reason };
    case 'deleted':
      return { status: 'deleted', pending_ref: null };
  }
}

export async function updatePost(db: Knex.Transaction, id: string, columns: Partial<Record<keyof PostRow, unknown>>): Promise<PostRow> {
  const [row] = await db('social_posts')
    .where({ id })
    .update({ ...columns, updated_at: db.fn.now() })
    .returning('*');
  return row as PostRow;
}

export function postView(r: PostRow) {
  return {
    id: r.id,
    socialAccountId: r.social_account_id,
    status: r.status,
    externalId: r.external_id,
    url: r.url,
    parts: r.parts,
    failure: r.failure_code ? { code: r.failure_code, reason: r.failure_reason ?? '' } : null,
    metrics: r.metrics,
    metricsAt: r.metrics_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
