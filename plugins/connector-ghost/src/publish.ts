import { ContentRejected, idempotencyMark, keyedSlug, mediaFileName, scheduledFor, type ConnectorContext, type DraftMedia, type PostStatus, type PublishResult, type StatusQuery } from '@markettina/sdk';
import type { GhostPost } from './adapt.js';
import { call, getPost, postPath, type GhostPostResource } from './api.js';

/** Ghost refuses to schedule a post less than two minutes ahead; sooner, it is published now. */
export const SCHEDULE_LEAD_MS = 2 * 60_000;
/** How long until a post left as a draft on the site is looked at again. */
export const DRAFT_RECHECK_MS = 60 * 60_000;
/** A scheduled post past its time is being published by Ghost's scheduler; look again soon. */
export const OVERDUE_RECHECK_MS = 60_000;

const RESOURCE_FIELDS = 'id,slug,status,url,published_at';
const pendingRef = (id: string) => JSON.stringify({ v: 1, id });

function pendingId(pending: string): string {
  const ref = JSON.parse(pending) as { v?: number; id?: unknown };
  if (ref?.v !== 1 || typeof ref.id !== 'string') throw new TypeError('not a pending Ghost post');
  return ref.id;
}

/** What a post's status on the site means to the host: published (also e-mail only), else pending. */
export function outcomeOf(post: GhostPostResource, now: Date): PublishResult {
  switch (post.status) {
    case 'published':
    case 'sent':
      return { status: 'published', externalId: post.id, url: post.url, parts: [{ externalId: post.id, url: post.url }] };
    case 'scheduled': {
      const wait = post.published_at ? Date.parse(post.published_at) - now.getTime() : NaN;
      return { status: 'pending', pending: pendingRef(post.id), retryAfterMs: wait > 0 ? wait : OVERDUE_RECHECK_MS };
    }
    case 'draft':
      return { status: 'pending', pending: pendingRef(post.id), retryAfterMs: DRAFT_RECHECK_MS };
  }
}

/** The post an earlier attempt with this key created: its slug ends with the key's mark (NQL `~$`, Ghost 4.39+). */
async function earlierAttempt(ctx: ConnectorContext, idempotencyKey: string): Promise<GhostPostResource | undefined> {
  const res = await call(ctx, { method: 'GET', path: '/posts/', query: { filter: `slug:~$'-${idempotencyMark(idempotencyKey)}'`, limit: '1', fields: RESOURCE_FIELDS } });
  return res.json<{ posts: GhostPostResource[] }>().posts[0];
}

async function uploadImage(ctx: ConnectorContext, m: DraftMedia): Promise<string> {
  if (!m.data) throw new ContentRejected('the image has no data to upload');
  const res = await call(ctx, {
    method: 'POST',
    path: '/images/upload/',
    multipart: [
      { name: 'file', value: m.data, fileName: mediaFileName(m), contentType: m.mimeType },
      { name: 'purpose', value: 'image' },
    ],
  });
  return res.json<{ images: { url: string }[] }>().images[0]!.url;
}

export async function publish(ctx: ConnectorContext, req: { post: GhostPost; idempotencyKey: string }): Promise<PublishResult> {
  const { post } = req;
  const earlier = await earlierAttempt(ctx, req.idempotencyKey);
  if (earlier) return outcomeOf(earlier, ctx.now());
  const image = post.featureImage ? await uploadImage(ctx, post.featureImage) : undefined;
  const at = post.status === 'published' ? scheduledFor(post.publishAt, ctx.now(), SCHEDULE_LEAD_MS) : undefined;
  const html = 'html' in post.body;
  const res = await call(ctx, {
    method: 'POST',
    path: '/posts/',
    // Ghost reads `html` only when told to convert it (to Lexical); otherwise it takes `lexical` as is.
    ...(html ? { query: { source: 'html' } } : {}),
    json: {
      posts: [
        {
          title: post.title,
          slug: keyedSlug(post.title, req.idempotencyKey),
          ...post.body,
          status: at ? 'scheduled' : post.status,
          ...(at ? { published_at: at.toISOString() } : {}),
          ...(post.customExcerpt !== undefined ? { custom_excerpt: post.customExcerpt } : {}),
          tags: post.tags.map((name) => ({ name })),
          ...(image ? { feature_image: image, ...(post.featureImage?.altText ? { feature_image_alt: post.featureImage.altText } : {}) } : {}),
        },
      ],
    },
  });
  return outcomeOf(res.json<{ posts: GhostPostResource[] }>().posts[0]!, ctx.now());
}

export async function checkStatus(ctx: ConnectorContext, query: StatusQuery): Promise<PostStatus> {
  const id = 'pending' in query ? pendingId(query.pending) : query.externalId;
  const post = await getPost(ctx, id, { fields: RESOURCE_FIELDS });
  return post ? outcomeOf(post, ctx.now()) : { status: 'deleted', externalId: id };
}

/** Deletes the post for good (Ghost has no trash); already gone counts as deleted. */
export async function deletePost(ctx: ConnectorContext, externalId: string): Promise<void> {
  await call(ctx, { method: 'DELETE', path: postPath(externalId), accept: [404] });
}

export async function fetchMetrics(ctx: ConnectorContext, externalId: string): Promise<{ clicks: number }> {
  const post = await getPost(ctx, externalId, { include: 'count.clicks' });
  if (!post) throw new ContentRejected('the post no longer exists', 404);
  return { clicks: post.count?.clicks ?? 0 };
}
