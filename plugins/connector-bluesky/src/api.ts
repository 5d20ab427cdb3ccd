import { AuthExpired, ContentRejected, type ConnectorContext, type HttpResponse } from '@markettina/sdk';
import type { RecordAddress, ReplyRef } from './records.js';

/** What XRPC servers answer a failed call with. */
export interface XrpcError {
  error: string;
  message: string;
}

/** com.atproto.server.createSession and refreshSession. */
export interface SessionOutput {
  accessJwt: string;
  refreshJwt: string;
  did: string;
  handle: string;
}

/** com.atproto.repo.getRecord of an app.bsky.feed.post. */
export interface PostRecordOutput {
  uri: string;
  cid: string;
  value: { text?: string; createdAt?: string; reply?: ReplyRef };
}

/** The parts of app.bsky.feed.defs#postView the connector reads. */
export interface PostView {
  uri: string;
  cid: string;
  author: { did: string; handle: string };
  record: { text?: string; createdAt?: string };
  replyCount?: number;
  repostCount?: number;
  likeCount?: number;
  quoteCount?: number;
}

/** app.bsky.feed.defs#threadViewPost; notFoundPost and blockedPost carry no `post`. */
export interface ThreadView {
  post?: PostView;
  replies?: ThreadView[];
}

export function xrpcError(res: HttpResponse): XrpcError {
  try {
    const body = res.json<Partial<XrpcError> | null>();
    return { error: typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`, message: typeof body?.message === 'string' ? body.message : '' };
  } catch {
    return { error: `HTTP ${res.status}`, message: '' };
  }
}

export const describeError = (e: XrpcError): string => (e.message ? `${e.error}: ${e.message}` : e.error);

/** The access token ran out (a PDS answers 400, an AppView 401) or is not one the server takes. */
const TOKEN_ERRORS = new Set(['ExpiredToken', 'InvalidToken']);

export interface XrpcCall {
  method: 'GET' | 'POST';
  /** The method's NSID, e.g. `com.atproto.repo.createRecord`. */
  nsid: string;
  params?: Record<string, string | string[]>;
  json?: unknown;
  /** A raw body (uploadBlob) and its type. */
  body?: Uint8Array;
  contentType?: string;
  /** Which session token to send: `access` (default), `refresh` (refreshSession only) or `none`. */
  token?: 'access' | 'refresh' | 'none';
  /** Which declared outbound budgets the call also spends. */
  budget?: string;
  /** XRPC error names the caller handles: such 400 and 401 answers are handed back. */
  expect?: string[];
}

/**
 * Calls an XRPC method on the account's PDS. 400 is where XRPC reports an expired access
 * token (`ExpiredToken`), so 400 and 401 are read here: token errors become AuthExpired,
 * anything else the caller did not expect ContentRejected. 429 and 5xx are mapped by the
 * connector's HTTP client.
 */
export async function xrpc(ctx: ConnectorContext, call: XrpcCall): Promise<HttpResponse> {
  const url = new URL(`${ctx.origin}/xrpc/${call.nsid}`);
  for (const [k, v] of Object.entries(call.params ?? {})) for (const item of [v].flat()) url.searchParams.append(k, item);
  const token = call.token === 'none' ? undefined : call.token === 'refresh' ? ctx.credentials.refreshToken : ctx.credentials.accessToken;
  const res = await ctx.http.request({
    method: call.method,
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(call.contentType ? { 'content-type': call.contentType } : {}) },
    ...(call.json !== undefined ? { json: call.json } : {}),
    ...(call.body ? { body: call.body } : {}),
    ...(call.budget ? { budget: call.budget } : {}),
    accept: [400, 401],
  });
  if (res.status < 400) return res;
  const err = xrpcError(res);
  if (call.expect?.includes(err.error)) return res;
  if (res.status === 401 || TOKEN_ERRORS.has(err.error)) throw new AuthExpired(`Bluesky refused the session: ${describeError(err)}`, res.status);
  throw new ContentRejected(describeError(err), res.status);
}

/** getRecord of a post; undefined when the repo holds no record at that address. */
export async function getPostRecord(ctx: ConnectorContext, a: RecordAddress): Promise<PostRecordOutput | undefined> {
  const res = await xrpc(ctx, { method: 'GET', nsid: 'com.atproto.repo.getRecord', params: { repo: a.repo, collection: a.collection, rkey: a.rkey }, expect: ['RecordNotFound', 'InvalidRequest'] });
  if (res.status === 200) return res.json<PostRecordOutput>();
  const err = xrpcError(res);
  // Older PDS versions report a missing record as InvalidRequest "Could not locate record".
  if (err.error === 'RecordNotFound' || /could not locate record/i.test(err.message)) return undefined;
  throw new ContentRejected(describeError(err), res.status);
}
