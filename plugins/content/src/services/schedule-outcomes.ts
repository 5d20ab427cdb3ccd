import type { Knex } from 'knex';
import type { EventSubscription } from '@markettina/sdk';
import { PostFailed, PostPublished, PostUnconfirmed, type PostFailedData, type PostPublishedData, type PostUnconfirmedData } from '@markettina/plugin-social/contracts';
import { CONTENT_PLUGIN_ID } from '../contracts.js';
import { acceptsOutcome } from '../domain/schedule-status.js';
import { refreshDelivery, type ScheduleRow } from './schedule-store.js';

type Outcome =
  | { status: 'published'; data: PostPublishedData }
  | { status: 'failed'; data: PostFailedData }
  | { status: 'unconfirmed'; data: PostUnconfirmedData };

const columns = (o: Outcome): Record<string, unknown> => {
  switch (o.status) {
    case 'published':
      return { external_id: o.data.externalId, url: o.data.url, published_at: new Date(o.data.publishedAt), failure_code: null, failure_reason: null };
    case 'failed':
      return { failure_code: o.data.code, failure_reason: o.data.reason };
    case 'unconfirmed':
      return { failure_code: 'UNCONFIRMED', failure_reason: o.data.reason };
  }
};

/**
 * Mirrors one publication outcome onto content's schedule row and the post's delivery
 * status. Runs in the handler's transaction, which also marks the delivery done, so it
 * applies once; a stale or repeated outcome changes nothing.
 */
export async function applyOutcome(db: Knex.Transaction, outcome: Outcome): Promise<void> {
  const { source, publicationId } = outcome.data;
  if (source.plugin !== CONTENT_PLUGIN_ID) return;
  // The post's lock first, as every writer of its schedules takes it: two outcomes of one
  // post then compute its delivery status one after the other, each seeing the other's.
  const post = await db('content_posts').where({ id: source.id }).forUpdate().first('id');
  if (!post) return; // deleted since
  const row = (await db('content_post_schedules').where({ publication_id: publicationId }).first('id', 'status')) as Pick<ScheduleRow, 'id' | 'status'> | undefined;
  if (!row || !acceptsOutcome(row.status, outcome.status)) return;
  await db('content_post_schedules')
    .where({ id: row.id })
    .update({ status: outcome.status, ...columns(outcome), updated_at: db.fn.now() });
  await refreshDelivery(db, source.id);
}

/** The subscriptions that keep schedule rows in step with the social plugin's publications. */
export const outcomeSubscriptions: EventSubscription[] = [
  { event: PostPublished, subscriberId: 'posts-published', handler: (e, ctx) => applyOutcome(ctx.db, { status: 'published', data: e.data as PostPublishedData }) },
  { event: PostFailed, subscriberId: 'posts-failed', handler: (e, ctx) => applyOutcome(ctx.db, { status: 'failed', data: e.data as PostFailedData }) },
  { event: PostUnconfirmed, subscriberId: 'posts-unconfirmed', handler: (e, ctx) => applyOutcome(ctx.db, { status: 'unconfirmed', data: e.data as PostUnconfirmedData }) },
];
