import { ContentRejected, idempotencyMark, keyedSlug, mediaFileName, scheduledFor, Transient, type ConnectorContext, type DraftMedia, type PostStatus, type PublishResult, type StatusQuery } from '@markettina/sdk';
import type { WordPressPost } from './adapt.js';
import { call, getPost, postPath, type WpMedia, type WpPost } from './api.js';
import { refusal, wpError } from './errors.js';
import { termIds } from './terms.js';

/** wp_insert_post schedules a post only when its date is at least a minute ahead; sooner, it publishes. */
export const SCHEDULE_LEAD_MS = 60_000;
/** How long until a post left as a draft on the site is looked at again. */
export const DRAFT_RECHECK_MS = 60 * 60_000;
/** A scheduled post past its time waits for WP-Cron, which runs on the site's next visit. */
export const OVERDUE_RECHECK_MS = 60_000;

/** WordPress's `date_gmt`: UTC, without an offset. */
export const wpDate = (d: Date) => d.toISOString().slice(0, 19);

const pendingRef = (id: number) => JSON.stringify({ v: 1, id });

function pendingId(pending: string): number {
  const ref = JSON.parse(pending) as { v?: number; id?: unknown };
  if (ref?.v !== 1 || !Number.isInteger(ref.id)) throw new TypeError('not a pending WordPress post');
  return ref.id as number;
}

/**
 * What a post's status on the site means to the host: published (public or private),
 * pending while it is scheduled or a draft, deleted once in the trash.
 */
export function outcomeOf(post: WpPost, now: Date): PostStatus {
  const externalId = String(post.id);
  switch (post.status) {
    case 'publish':
    case 'private':
      return { status: 'published', externalId, url: post.link, parts: [{ externalId, url: post.link }] };
    case 'future': {
      const wait = post.date_gmt ? Date.parse(`${post.date_gmt}Z`) - now.getTime() : NaN;
      return { status: 'pending', pending: pendingRef(post.id), retryAfterMs: wait > 0 ? wait : OVERDUE_RECHECK_MS };
    }
    case 'draft':
    case 'pending':
      return { status: 'pending', pending: pendingRef(post.id), retryAfterMs: DRAFT_RECHECK_MS };
    case 'trash':
      return { status: 'deleted', externalId };
  }
}

function publishOutcome(post: WpPost, now: Date): PublishResult {
  const outcome = outcomeOf(post, now);
  if (outcome.status === 'deleted') throw new ContentRejected(`post ${post.id} is in the trash`);
  return outcome;
}

/** How many of the site's newest posts are searched for an earlier attempt. */
export const EARLIER_ATTEMPT_WINDOW = 100;

/**
 * The post an earlier attempt with this key created: its slug ends with the key's mark.
 * The REST API finds slugs only whole, and the title (the rest of the slug) may have changed
 * since, so the newest posts (by id, whatever their date) are searched; a retry comes soon
 * after its attempt, while the post is still among them.
 */
async function earlierAttempt(ctx: ConnectorContext, idempotencyKey: string): Promise<WpPost | undefined> {
  const mark = `-${idempotencyMark(idempotencyKey)}`;
  const res = await call(ctx, {
    method: 'GET',
    path: '/wp/v2/posts',
    query: { status: 'publish,future,draft,pending,private', orderby: 'id', order: 'desc', per_page: String(EARLIER_ATTEMPT_WINDOW), context: 'edit', _fields: 'id,date_gmt,slug,status,link' },
  });
  return res.json<WpPost[]>().find((p) => p.slug.endsWith(mark));
}

async function uploadImage(ctx: ConnectorContext, m: DraftMedia): Promise<number> {
  if (!m.data) throw new ContentRejected('the image has no data to upload');
  const res = await call(ctx, {
    method: 'POST',
    path: '/wp/v2/media',
    // Request parameters may come in the query string when the body is the file.
    ...(m.altText ? { query: { alt_text: m.altText } } : {}),
    headers: { 'content-type': m.mimeType, 'content-disposition': `attachment; filename="${mediaFileName(m)}"` },
    body: m.data,
    accept: [400, 403],
  });
  if (res.status >= 300) throw refusal(res, 'media');
  return res.json<WpMedia>().id;
}

export async function publish(ctx: ConnectorContext, req: { post: WordPressPost; idempotencyKey: string }): Promise<PublishResult> {
  const { post } = req;
  const earlier = await earlierAttempt(ctx, req.idempotencyKey);
  if (earlier) return publishOutcome(earlier, ctx.now());
  const tags = await termIds(ctx, 'tags', post.tags);
  const categories = await termIds(ctx, 'categories', post.categories);
  const featured = post.featuredImage ? await uploadImage(ctx, post.featuredImage) : undefined;
  const at = post.status === 'publish' ? scheduledFor(post.publishAt, ctx.now(), SCHEDULE_LEAD_MS) : undefined;
  const res = await call(ctx, {
    method: 'POST',
    path: '/wp/v2/posts',
    json: {
      title: post.title,
      content: post.content,
      ...(post.excerpt !== undefined ? { excerpt: post.excerpt } : {}),
      status: at ? 'future' : post.status,
      ...(at ? { date_gmt: wpDate(at) } : {}),
      slug: keyedSlug(post.title, req.idempotencyKey),
      tags,
      // Without categories WordPress files the post under its default category.
      ...(categories.length ? { categories } : {}),
      ...(featured !== undefined ? { featured_media: featured } : {}),
    },
    accept: [400, 403],
  });
  if (res.status >= 300) throw refusal(res, 'post');
  return publishOutcome(res.json<WpPost>(), ctx.now());
}

export async function checkStatus(ctx: ConnectorContext, query: StatusQuery): Promise<PostStatus> {
  const id = 'pending' in query ? String(pendingId(query.pending)) : query.externalId;
  const post = await getPost(ctx, id);
  return post ? outcomeOf(post, ctx.now()) : { status: 'deleted', externalId: id };
}

/** Moves the post to the trash; already trashed or gone counts as deleted. */
export async function deletePost(ctx: ConnectorContext, externalId: string): Promise<void> {
  const res = await call(ctx, { method: 'DELETE', path: postPath(externalId), accept: [404, 410, 501] });
  if (res.status !== 501) return;
  // A site without a trash (EMPTY_TRASH_DAYS = 0) asks for force: deleting there is for good.
  if (wpError(res)?.code !== 'rest_trash_not_supported') throw new Transient(`WordPress could not delete post ${externalId} (HTTP 501)`, 501);
  await call(ctx, { method: 'DELETE', path: postPath(externalId), query: { force: 'true' }, accept: [404, 410] });
}

/** Approved comments, the one count WordPress core keeps per post. */
export async function fetchMetrics(ctx: ConnectorContext, externalId: string): Promise<{ comments: number }> {
  const res = await call(ctx, { method: 'GET', path: '/wp/v2/comments', query: { post: externalId, per_page: '1', _fields: 'id' } });
  const total = Number(res.headers['x-wp-total']);
  if (!Number.isInteger(total) || total < 0) throw new Transient('WordPress answered the comment count without X-WP-Total');
  return { comments: total };
}
