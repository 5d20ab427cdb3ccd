import type { Knex } from 'knex';
import { newestFirst, problems, type Page, type PageRequest } from '@markettina/sdk';
import type { ApprovalStatus } from '../domain/approval.js';
import { hashtagKey, mentionKey } from '../domain/entities.js';
import type { DeliveryStatus } from '../domain/schedule-status.js';
import { postView, selectPosts, type PostRow, type PostView } from './posts-store.js';

export interface PostFilter {
  approvalStatus?: ApprovalStatus;
  deliveryStatus?: DeliveryStatus;
  /** Posts written for (a variant) or scheduled to (a target) this platform. */
  platform?: string;
  campaignId?: string;
  hashtag?: string;
  mention?: string;
  /** Creation instant in `[createdFrom, createdTo)`. */
  createdFrom?: string;
  createdTo?: string;
  /** Some target due in `[scheduledFrom, scheduledTo)`. */
  scheduledFrom?: string;
  scheduledTo?: string;
}

function assertRange(from: string | undefined, to: string | undefined, what: string): void {
  if (from && to && Date.parse(from) >= Date.parse(to)) {
    throw problems.badRequest('INVALID_DATE_RANGE', `${what}From ${from} is not before ${what}To ${to}`, { from, to });
  }
}

/** Posts of the tenant, newest first, narrowed by every filter given. */
export async function listPosts(db: Knex.Transaction, filter: PostFilter, page: PageRequest): Promise<Page<PostView>> {
  assertRange(filter.createdFrom, filter.createdTo, 'created');
  assertRange(filter.scheduledFrom, filter.scheduledTo, 'scheduled');
  let q = selectPosts(db);
  if (filter.approvalStatus) q = q.where('p.approval_status', filter.approvalStatus);
  if (filter.deliveryStatus) q = q.where('p.delivery_status', filter.deliveryStatus);
  if (filter.campaignId) q = q.where('p.campaign_id', filter.campaignId);
  if (filter.hashtag) q = q.whereRaw('p.hashtags @> array[?]::text[]', [hashtagKey(filter.hashtag)]);
  if (filter.mention) q = q.whereRaw('p.mentions @> array[?]::text[]', [mentionKey(filter.mention)]);
  if (filter.createdFrom) q = q.where('p.created_at', '>=', filter.createdFrom);
  if (filter.createdTo) q = q.where('p.created_at', '<', filter.createdTo);
  const targets = (sub: Knex.QueryBuilder) => sub.select(db.raw('1')).from({ s: 'content_post_schedules' }).whereRaw('s.post_id = p.id').whereNot('s.status', 'cancelled');
  if (filter.platform) {
    const platform = filter.platform;
    q = q.where((w) => w.whereRaw('p.platforms @> array[?]::text[]', [platform]).orWhereExists((sub) => targets(sub).where('s.connector', platform)));
  }
  if (filter.scheduledFrom || filter.scheduledTo) {
    q = q.whereExists((sub) => {
      targets(sub);
      if (filter.scheduledFrom) sub.where('s.due_at', '>=', filter.scheduledFrom);
      if (filter.scheduledTo) sub.where('s.due_at', '<', filter.scheduledTo);
    });
  }
  return newestFirst(q, page, (r: PostRow) => postView(r), 'p');
}
