import type { ConnectorCapabilities } from '@markettina/sdk';
import { TEXT_MAX_GRAPHEMES } from './text.js';

/** app.bsky.embed.images: at most four images of at most 1,000,000 bytes each. */
export const IMAGE_MAX_BYTES = 1_000_000;
export const IMAGES_PER_POST = 4;

export const capabilities: ConnectorCapabilities = {
  // app.bsky.feed.post counts text in grapheme clusters; its 3,000-byte cap is checked by validate.
  text: { maxLength: TEXT_MAX_GRAPHEMES, unit: 'graphemes', required: false },
  media: {
    maxItems: IMAGES_PER_POST,
    types: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
    maxBytes: IMAGE_MAX_BYTES,
    // The protocol sets no limit on alt text; the Bluesky app stops at 2,000.
    altTextMaxLength: 2000,
  },
  // Bluesky sets no limit on threads; this one bounds a single publish.
  threads: { maxPosts: 25 },
  firstComment: false,
  delete: true,
  edit: false,
  metrics: ['likes', 'shares', 'comments'],
  comments: true,
  channels: false,
  // Record keys derive from the idempotency key, so a repeated publish finds its post instead of writing a second one.
  publishIdempotency: 'platform',
  // bsky.social's published limits: 3,000 requests per 5 minutes; createSession 30 per 5
  // minutes and 300 a day; record writes 5,000 points an hour and 35,000 a day, a create
  // costing 3 points (a delete costs 1, counted here as a create to stay on the safe side).
  rateLimits: [
    { name: 'api', limit: 3000, windowSeconds: 300 },
    { name: 'session', limit: 30, windowSeconds: 300, appliesTo: ['session'] },
    { name: 'session-day', limit: 300, windowSeconds: 86_400, appliesTo: ['session'] },
    { name: 'write', limit: 1666, windowSeconds: 3600, appliesTo: ['write'] },
    { name: 'write-day', limit: 11_666, windowSeconds: 86_400, appliesTo: ['write'] },
  ],
};
