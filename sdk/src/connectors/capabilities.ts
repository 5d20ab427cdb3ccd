import type { RateLimitPolicy } from '../rate-limits.js';

/**
 * How a platform counts the length of a text:
 * - `graphemes`: user-perceived characters (Intl.Segmenter), so "👍🏽" and "👨‍👩‍👧" are one each;
 * - `characters`: Unicode code points, so "é" is one and "👍🏽" is two;
 * - `bytes`: UTF-8 bytes.
 */
export type TextUnit = 'graphemes' | 'characters' | 'bytes';

export interface TextLimit {
  /** Longest text the platform accepts, in `unit`s. */
  maxLength: number;
  unit: TextUnit;
  /** When set, every http(s) URL counts as exactly this many units, whatever its length (Mastodon: 23). */
  urlLength?: number;
  /** Whether a post must have text (otherwise media alone is enough). */
  required: boolean;
}

export interface MediaLimits {
  /** Most attachments one post may carry; 0 means the platform takes no media. */
  maxItems: number;
  /** Accepted MIME types, e.g. `image/png`. */
  types: string[];
  /** Largest file in bytes, if the platform states one. */
  maxBytes?: number;
  /** Per-type limits that override `maxBytes`; keys are MIME types or families (`image/*`). */
  maxBytesByType?: Record<string, number>;
  /** Longest alt text in characters, if the platform takes alt text. */
  altTextMaxLength?: number;
}

/** The shared vocabulary of post metrics; a connector declares which it can read. */
export type MetricName = 'views' | 'impressions' | 'likes' | 'comments' | 'shares' | 'clicks' | 'saves';
export const METRIC_NAMES: readonly MetricName[] = ['views', 'impressions', 'likes', 'comments', 'shares', 'clicks', 'saves'];

/**
 * A platform rate limit, metered by the kernel's limiter per connected account before a call
 * is sent. Without `appliesTo` it covers every call; with it, only calls that name one of
 * those budgets (`request({ budget: 'media' })`).
 */
export interface PlatformRateLimit extends RateLimitPolicy {
  appliesTo?: string[];
}

/** How the body of a long-form post is written: plain text (blank lines part paragraphs) or HTML. */
export type ArticleFormat = 'text' | 'html';
export const ARTICLE_FORMATS: readonly ArticleFormat[] = ['text', 'html'];

/** What a blog takes besides the body of a post (see `PostDraft.article`). */
export interface ArticleCapabilities {
  /** Longest title, in characters (code points). */
  titleMaxLength: number;
  /** Longest excerpt, in characters; 0 when the platform takes none. */
  excerptMaxLength: number;
  /** Body formats the connector publishes. */
  formats: ArticleFormat[];
  tags: boolean;
  categories: boolean;
  /** Longest tag or category name, in characters. */
  labelMaxLength: number;
  /** Whether a post may be left unpublished on the platform, for someone to finish there. */
  drafts: boolean;
  /** Whether the platform itself publishes a post at a later instant. */
  scheduling: boolean;
}

/**
 * What a platform can do, declared once as data. The same declaration validates drafts on
 * the server, drives the conformance suite and is served to clients unchanged.
 */
export interface ConnectorCapabilities {
  text: TextLimit;
  media: MediaLimits;
  /** Follow-up posts published as replies to the previous one; false when not supported. */
  threads: false | { maxPosts: number };
  /** A comment the account adds under its own post right after publishing. */
  firstComment: boolean;
  delete: boolean;
  edit: boolean;
  /** Metrics `fetchMetrics` returns; empty when the platform exposes none. */
  metrics: MetricName[];
  /** Whether `fetchComments` and `reply` are available. */
  comments: boolean;
  /** Whether, after authorising, the tenant must pick a page or channel to post as. */
  channels: boolean;
  /** `platform`: publishing twice with one idempotency key yields one post. `none`: the host must check before retrying. */
  publishIdempotency: 'platform' | 'none';
  rateLimits: PlatformRateLimit[];
  /** Long-form posts (blogs): titles, excerpts, labels, drafts, scheduling. Absent for platforms of short posts. */
  article?: ArticleCapabilities;
}
