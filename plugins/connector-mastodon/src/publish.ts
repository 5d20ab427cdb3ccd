import type { ConnectorContext, DraftMedia, PostStatus, PublishedPart, PublishResult } from '@markettina/sdk';
import { ContentRejected } from '@markettina/sdk';
import type { MastodonPost } from './adapt.js';
import { call, getStatus, type MastodonMedia, type MastodonStatus } from './api.js';

/** What is left to do once media are uploaded; serialised as the `pending` reference. */
interface Plan {
  v: 1;
  visibility: MastodonPost['visibility'];
  parts: { status: string; mediaIds: string[] }[];
  inReplyTo?: string;
  /** Uploaded media the instance is still processing. */
  waiting: string[];
}

/** Polls within one publish before handing back `pending`; large media take longer. */
const POLLS = 4;
const POLL_INTERVAL_MS = 250;
const PENDING_RETRY_MS = 2_000;

async function upload(ctx: ConnectorContext, m: DraftMedia): Promise<{ id: string; ready: boolean }> {
  if (!m.data) throw new ContentRejected('an attachment has no data to upload');
  const res = await call(ctx, {
    method: 'POST',
    path: '/api/v2/media',
    budget: 'media',
    multipart: [
      { name: 'file', value: m.data, fileName: m.fileName ?? 'upload', contentType: m.mimeType },
      ...(m.altText ? [{ name: 'description', value: m.altText }] : []),
    ],
  });
  const media = res.json<MastodonMedia>();
  // 200: processed synchronously. 202: `url` stays null until processing ends.
  return { id: media.id, ready: res.status === 200 && media.url !== null };
}

/** GET /api/v1/media/:id answers 206 while the instance is still processing. */
async function stillProcessing(ctx: ConnectorContext, ids: string[]): Promise<string[]> {
  const states = await Promise.all(ids.map(async (id) => ((await call(ctx, { method: 'GET', path: `/api/v1/media/${encodeURIComponent(id)}`, accept: [206] })).status === 206 ? id : null)));
  return states.filter((id): id is string => id !== null);
}

/** Posts every part, each replying to the previous; part i > 0 uses key `<key>:<i>` so a retry dedupes each. */
async function postParts(ctx: ConnectorContext, plan: Plan, key: string): Promise<PublishResult> {
  const parts: PublishedPart[] = [];
  let inReplyTo = plan.inReplyTo;
  for (const [i, part] of plan.parts.entries()) {
    const res = await call(ctx, {
      method: 'POST',
      path: '/api/v1/statuses',
      headers: { 'idempotency-key': i === 0 ? key : `${key}:${i}` },
      json: { status: part.status, media_ids: part.mediaIds, visibility: plan.visibility, ...(inReplyTo ? { in_reply_to_id: inReplyTo } : {}) },
    });
    const s = res.json<MastodonStatus>();
    parts.push({ externalId: s.id, ...(s.url ? { url: s.url } : {}) });
    inReplyTo = s.id;
  }
  const first = parts[0]!;
  return { status: 'published', externalId: first.externalId, ...(first.url ? { url: first.url } : {}), parts };
}

async function proceed(ctx: ConnectorContext, plan: Plan, key: string, polls: number): Promise<PublishResult> {
  let waiting = plan.waiting;
  for (let i = 0; waiting.length > 0 && i < polls; i++) {
    if (i > 0) await ctx.sleep(POLL_INTERVAL_MS);
    waiting = await stillProcessing(ctx, waiting);
  }
  if (waiting.length > 0) return { status: 'pending', pending: JSON.stringify({ ...plan, waiting }), retryAfterMs: PENDING_RETRY_MS };
  return postParts(ctx, { ...plan, waiting: [] }, key);
}

export async function publish(ctx: ConnectorContext, req: { post: MastodonPost; idempotencyKey: string }): Promise<PublishResult> {
  const plan: Plan = { v: 1, visibility: req.post.visibility, parts: [], waiting: [] };
  for (const part of req.post.parts) {
    const mediaIds: string[] = [];
    for (const m of part.media) {
      const { id, ready } = await upload(ctx, m);
      mediaIds.push(id);
      if (!ready) plan.waiting.push(id);
    }
    plan.parts.push({ status: part.status, mediaIds });
  }
  return proceed(ctx, plan, req.idempotencyKey, POLLS);
}

export function reply(ctx: ConnectorContext, req: { inReplyTo: string; text: string; idempotencyKey: string }): Promise<PublishResult> {
  return postParts(ctx, { v: 1, visibility: 'public', parts: [{ status: req.text, mediaIds: [] }], inReplyTo: req.inReplyTo, waiting: [] }, req.idempotencyKey);
}

function parsePlan(pending: string): Plan {
  const plan = JSON.parse(pending) as Plan;
  if (plan?.v !== 1 || !Array.isArray(plan.parts) || !Array.isArray(plan.waiting)) throw new TypeError('not a pending Mastodon publish');
  return plan;
}

export async function checkStatus(ctx: ConnectorContext, query: { externalId: string } | { pending: string; idempotencyKey: string }): Promise<PostStatus> {
  if ('pending' in query) return proceed(ctx, parsePlan(query.pending), query.idempotencyKey, 1);
  const s = await getStatus(ctx, query.externalId);
  if (!s) return { status: 'deleted', externalId: query.externalId };
  const part = { externalId: s.id, ...(s.url ? { url: s.url } : {}) };
  return { status: 'published', ...part, parts: [part] };
}
