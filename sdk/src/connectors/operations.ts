import type { MetricName } from './capabilities.js';

/** Who the credentials belong to on the platform. */
export interface ConnectedIdentity {
  /** Unique on the platform (include the instance where the platform has many). */
  externalId: string;
  displayName: string;
  handle?: string;
  profileUrl?: string;
}

/** A page, channel or blog the account may post as (see `capabilities.channels`). */
export interface Channel {
  id: string;
  name: string;
}

export interface PublishedPart {
  externalId: string;
  url?: string;
}

/**
 * The outcome of `publish`, `reply` and `checkStatus`:
 * - `published`: live; `parts` lists every post of a thread (the first is the post itself);
 * - `pending`: accepted but not live yet (e.g. media still processing); call `checkStatus`
 *   with `pending` after `retryAfterMs`;
 * - `failed`: the platform refused the content for good.
 */
export type PublishResult =
  | { status: 'published'; externalId: string; url?: string; parts: PublishedPart[] }
  | { status: 'pending'; pending: string; retryAfterMs: number }
  | { status: 'failed'; code: string; reason: string };

/** `checkStatus` also knows a post that was live and is gone. */
export type PostStatus = PublishResult | { status: 'deleted'; externalId: string };

export interface PublishRequest<A> {
  post: A;
  /**
   * Stable per logical post: the host passes the same key when it retries, so a platform
   * that dedupes (see `publishIdempotency`) creates the post once.
   */
  idempotencyKey: string;
}

/** What `checkStatus` looks at: a post that was published, or a publish still pending. */
export type StatusQuery = { externalId: string } | { pending: string; idempotencyKey: string };

export type PostMetrics = Partial<Record<MetricName, number>>;

export interface PostComment {
  externalId: string;
  authorHandle: string;
  text: string;
  createdAt: string;
  /** The post or comment this one answers. */
  inReplyTo: string;
}

export interface CommentPage {
  comments: PostComment[];
  nextCursor?: string;
}
