import { ContentRejected, ReconnectRequired, Transient, type ConnectorContext, type DraftMedia, type PostStatus, type PublishedPart, type PublishResult, type StatusQuery } from '@markettina/sdk';
import type { BlueskyPart, BlueskyPost } from './adapt.js';
import { getPostRecord, xrpc } from './api.js';
import { detectFacets } from './facets.js';
import { partKey, recordKeyFor } from './record-key.js';
import { lexFacets, parseAtUri, parseLanguages, POST_COLLECTION, postRecord, postUrl, replyTo, type BlobRef, type EmbeddedImage, type RecordAddress, type ReplyRef, type StrongRef } from './records.js';

/** The account's repository is named by its DID. */
export function repoOf(ctx: ConnectorContext): string {
  const did = ctx.credentials.extra?.did ?? ctx.account.externalId;
  if (!did) throw new ReconnectRequired('the session does not say which account it belongs to; connect the account again');
  return did;
}

/** The record a post id (its AT URI) points to. */
export function postAddress(externalId: string): RecordAddress {
  const a = parseAtUri(externalId);
  if (!a || a.collection !== POST_COLLECTION) throw new ContentRejected(`${externalId} is not the AT URI of a Bluesky post`);
  return a;
}

/** Handles to DIDs; a handle that does not resolve is left out, and its mention stays plain text. */
async function resolveHandles(ctx: ConnectorContext, parts: BlueskyPart[]): Promise<Map<string, string>> {
  const handles = new Set(parts.flatMap((p) => p.facets.flatMap((f) => (f.feature.kind === 'mention' ? [f.feature.handle] : []))));
  const dids = new Map<string, string>();
  for (const handle of handles) {
    const res = await xrpc(ctx, { method: 'GET', nsid: 'com.atproto.identity.resolveHandle', params: { handle }, expect: ['InvalidRequest', 'HandleNotFound'] });
    const did = res.status === 200 ? res.json<{ did?: unknown }>().did : undefined;
    if (typeof did === 'string' && did.startsWith('did:')) dids.set(handle, did);
  }
  return dids;
}

async function uploadImage(ctx: ConnectorContext, m: DraftMedia): Promise<EmbeddedImage> {
  if (!m.data) throw new ContentRejected('an image has no data to upload');
  const res = await xrpc(ctx, { method: 'POST', nsid: 'com.atproto.repo.uploadBlob', body: m.data, contentType: m.mimeType });
  return { image: res.json<{ blob: BlobRef }>().blob, alt: m.altText ?? '' };
}

/**
 * Writes the post at its derived record key. A PDS refuses a second record at one key, so
 * when the write fails the key is looked up: a record there is this post, written by an
 * earlier attempt whose answer was lost, and counts as published.
 */
async function createPost(ctx: ConnectorContext, address: RecordAddress, record: Record<string, unknown>): Promise<StrongRef> {
  try {
    const res = await xrpc(ctx, { method: 'POST', nsid: 'com.atproto.repo.createRecord', budget: 'write', json: { ...address, record } });
    const out = res.json<StrongRef>();
    return { uri: out.uri, cid: out.cid };
  } catch (err) {
    if (!(err instanceof ContentRejected || err instanceof Transient)) throw err;
    const existing = await getPostRecord(ctx, address).catch(() => undefined);
    if (!existing) throw err;
    return { uri: existing.uri, cid: existing.cid };
  }
}

/** Publishes every part, each replying to the one before (the first to `reply`, if given). */
async function publishParts(ctx: ConnectorContext, parts: BlueskyPart[], key: string, reply: ReplyRef | undefined): Promise<PublishResult> {
  const repo = repoOf(ctx);
  const langs = parseLanguages(ctx.account.settings.languages);
  const dids = await resolveHandles(ctx, parts);
  const published: PublishedPart[] = [];
  let next = reply;
  for (const [i, part] of parts.entries()) {
    const images: EmbeddedImage[] = [];
    for (const m of part.media) images.push(await uploadImage(ctx, m));
    const record = postRecord({ text: part.text, createdAt: ctx.now().toISOString(), langs, facets: lexFacets(part.facets, dids), ...(next ? { reply: next } : {}), images });
    const ref = await createPost(ctx, { repo, collection: POST_COLLECTION, rkey: recordKeyFor(partKey(key, i)) }, record);
    const url = postUrl(ref.uri);
    published.push({ externalId: ref.uri, ...(url ? { url } : {}) });
    next = replyTo(ref, next);
  }
  const first = published[0]!;
  return { status: 'published', ...first, parts: published };
}

export function publish(ctx: ConnectorContext, req: { post: BlueskyPost; idempotencyKey: string }): Promise<PublishResult> {
  return publishParts(ctx, req.post.parts, req.idempotencyKey, undefined);
}

export async function reply(ctx: ConnectorContext, req: { inReplyTo: string; text: string; idempotencyKey: string }): Promise<PublishResult> {
  const parent = await getPostRecord(ctx, postAddress(req.inReplyTo));
  if (!parent) throw new ContentRejected('the post to reply to no longer exists', 404);
  return publishParts(ctx, [{ text: req.text, facets: detectFacets(req.text), media: [] }], req.idempotencyKey, replyTo({ uri: parent.uri, cid: parent.cid }, parent.value.reply));
}

export async function checkStatus(ctx: ConnectorContext, query: StatusQuery): Promise<PostStatus> {
  // Blobs are stored when uploaded and records written at once: a publish is never pending.
  if ('pending' in query) throw new TypeError('Bluesky publishes at once; there is no pending publish to check');
  const record = await getPostRecord(ctx, postAddress(query.externalId));
  if (!record) return { status: 'deleted', externalId: query.externalId };
  const url = postUrl(record.uri);
  const part = { externalId: record.uri, ...(url ? { url } : {}) };
  return { status: 'published', ...part, parts: [part] };
}
