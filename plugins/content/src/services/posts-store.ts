import type { Knex } from 'knex';
import { problems } from '@markettina/sdk';
import type { ApprovalStatus } from '../domain/approval.js';
import type { VersionContent } from '../domain/posts.js';
import type { DeliveryStatus } from '../domain/schedule-status.js';
import { isUuid } from './ids.js';

/** A post as clients see it: its current version's content and where it stands. */
export interface PostView extends VersionContent {
  id: string;
  version: number;
  hashtags: string[];
  mentions: string[];
  campaignId: string | null;
  approvalStatus: ApprovalStatus;
  deliveryStatus: DeliveryStatus;
  /** The last review: which version was approved or rejected, by whom, when, and why not. */
  review: { version: number; by: string | null; at: string; reason: string | null } | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PostRow {
  id: string;
  version: number;
  approval_status: ApprovalStatus;
  reviewed_version: number | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  rejection_reason: string | null;
  delivery_status: DeliveryStatus;
  campaign_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  content: VersionContent;
  version_hashtags: string[];
  version_mentions: string[];
}

export const POST_COLUMNS = [
  'p.id',
  'p.version',
  'p.approval_status',
  'p.reviewed_version',
  'p.reviewed_by',
  'p.reviewed_at',
  'p.rejection_reason',
  'p.delivery_status',
  'p.campaign_id',
  'p.created_by',
  'p.created_at',
  'p.updated_at',
  'v.content',
  'v.hashtags as version_hashtags',
  'v.mentions as version_mentions',
];

export const postView = (r: PostRow): PostView => ({
  id: r.id,
  version: r.version,
  ...r.content,
  hashtags: r.version_hashtags,
  mentions: r.version_mentions,
  campaignId: r.campaign_id,
  approvalStatus: r.approval_status,
  deliveryStatus: r.delivery_status,
  review:
    r.reviewed_version !== null && r.reviewed_at !== null
      ? { version: r.reviewed_version, by: r.reviewed_by, at: r.reviewed_at.toISOString(), reason: r.rejection_reason }
      : null,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** Posts joined with their current version; row level security scopes both to the tenant. */
export const selectPosts = (db: Knex.Transaction) =>
  db({ p: 'content_posts' })
    .join({ v: 'content_post_versions' }, function () {
      this.on('v.post_id', 'p.id').andOn('v.version', 'p.version');
    })
    .select(POST_COLUMNS);

export const postNotFound = () => problems.notFound('post');

export async function findPost(db: Knex.Transaction, id: string): Promise<PostView | undefined> {
  if (!isUuid(id)) return undefined;
  const row = (await selectPosts(db).where('p.id', id).first()) as PostRow | undefined;
  return row && postView(row);
}

export async function getPost(db: Knex.Transaction, id: string): Promise<PostView> {
  const post = await findPost(db, id);
  if (!post) throw postNotFound();
  return post;
}

/**
 * The post, its row locked for the rest of the transaction: edits, reviews, scheduling and
 * outcome handlers of one post apply one after another, each seeing the one before.
 */
export async function lockPost(db: Knex.Transaction, id: string): Promise<PostView> {
  if (!isUuid(id)) throw postNotFound();
  const locked = await db('content_posts').where({ id }).forUpdate().first('id');
  if (!locked) throw postNotFound();
  return getPost(db, id);
}
