import type { ConnectorCapabilities } from '@markettina/sdk';

/**
 * PHP's default post_max_size (8 MiB). WordPress itself limits neither posts nor uploads
 * sent as a raw body, but PHP drops a larger body whole; sites may raise it, and these
 * limits hold on every site that keeps the default.
 */
export const REQUEST_MAX_BYTES = 8 * 1024 * 1024;
/** post_title is a MySQL TEXT column: 65,535 bytes, at most 4 per character. */
export const TITLE_MAX_CHARS = 16_383;
/** Term names are varchar(200). */
export const TERM_NAME_MAX_CHARS = 200;

export const capabilities: ConnectorCapabilities = {
  // The body is counted in bytes, and only half the request limit is declared: escaping
  // (at worst & -> &amp;) and the rest of the JSON must still fit, for ordinary prose amply.
  text: { maxLength: REQUEST_MAX_BYTES / 2, unit: 'bytes', required: true },
  // One image, which becomes the post's featured image.
  media: { maxItems: 1, types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'], maxBytes: REQUEST_MAX_BYTES },
  threads: false,
  firstComment: false,
  // Delete moves the post to the trash, where WordPress keeps it for 30 days (EMPTY_TRASH_DAYS)
  // in case it was a mistake; on sites without a trash it deletes at once.
  delete: true,
  edit: false,
  // WordPress core counts nothing per post but comments (X-WP-Total of /wp/v2/comments?post=ID).
  metrics: ['comments'],
  comments: false,
  channels: false,
  // WordPress takes no idempotency key. The connector gives each post a slug that carries the
  // key (see keyedSlug) and looks the slug up before creating, so publishing again with the
  // same key finds the post instead of creating a second one.
  publishIdempotency: 'platform',
  // WordPress core has no API rate limits; a host's own limits answer 429 and are honoured.
  rateLimits: [],
  article: {
    titleMaxLength: TITLE_MAX_CHARS,
    excerptMaxLength: TITLE_MAX_CHARS,
    formats: ['text', 'html'],
    tags: true,
    categories: true,
    labelMaxLength: TERM_NAME_MAX_CHARS,
    drafts: true,
    scheduling: true,
  },
};
