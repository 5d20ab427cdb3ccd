import type { ConnectorCapabilities } from '@markettina/sdk';

/** Mastodon's defaults (instances may raise them; these hold on every instance that keeps them). */
export const IMAGE_MAX_BYTES = 16 * 1024 * 1024;
export const VIDEO_MAX_BYTES = 99 * 1024 * 1024;

export const capabilities: ConnectorCapabilities = {
  // Mastodon counts grapheme clusters and every URL as 23 characters. It also counts a
  // remote mention `@user@domain` as `@user`; counting the whole mention, as done here,
  // errs on the safe side.
  text: { maxLength: 500, unit: 'graphemes', urlLength: 23, required: false },
  media: {
    maxItems: 4,
    types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'video/mp4', 'video/webm', 'video/quicktime', 'audio/mpeg', 'audio/ogg', 'audio/wav'],
    maxBytesByType: { 'image/*': IMAGE_MAX_BYTES, 'video/*': VIDEO_MAX_BYTES, 'audio/*': VIDEO_MAX_BYTES },
    altTextMaxLength: 1500,
  },
  threads: { maxPosts: 25 },
  firstComment: false,
  delete: true,
  edit: false,
  metrics: ['comments', 'shares', 'likes'],
  comments: true,
  channels: false,
  // POST /api/v1/statuses honours Idempotency-Key for an hour.
  publishIdempotency: 'platform',
  // Mastodon's default limits per account: 300 calls per 5 minutes; 30 media uploads and
  // 30 status deletions per 30 minutes.
  rateLimits: [
    { name: 'api', limit: 300, windowSeconds: 300 },
    { name: 'media', limit: 30, windowSeconds: 1800, appliesTo: ['media'] },
    { name: 'delete', limit: 30, windowSeconds: 1800, appliesTo: ['delete'] },
  ],
};
