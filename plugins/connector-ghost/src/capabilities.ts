import type { ConnectorCapabilities } from '@markettina/sdk';

/**
 * The largest request a Ghost site takes: Ghost-CLI's nginx sets client_max_body_size 50m,
 * and Ghost's Admin API parses JSON bodies up to 50 MB.
 */
export const REQUEST_MAX_BYTES = 50 * 1024 * 1024;

export const capabilities: ConnectorCapabilities = {
  // Ghost keeps any length of post; the request limit is the bound. Half of it is declared,
  // so that the Lexical document (or HTML escaping) around the text still fits.
  text: { maxLength: REQUEST_MAX_BYTES / 2, unit: 'bytes', required: true },
  // One image, which becomes the post's feature image; the rest of the limit is left to the
  // multipart envelope. feature_image_alt is a varchar(191).
  media: { maxItems: 1, types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'], maxBytes: REQUEST_MAX_BYTES - 1024 * 1024, altTextMaxLength: 191 },
  threads: false,
  firstComment: false,
  delete: true,
  edit: false,
  // The Admin API counts per post only what members did with its newsletter e-mail:
  // `count.clicks` is the members who clicked a link in it (0 for posts never e-mailed).
  metrics: ['clicks'],
  comments: false,
  channels: false,
  // Ghost takes no idempotency key. Each post's slug ends with the key's mark (keyedSlug),
  // and an NQL ends-with filter finds it, so publishing again with the same key finds the post.
  publishIdempotency: 'platform',
  // Ghost limits logins and member sign-ups, not Admin API calls; a host's 429 is honoured.
  rateLimits: [],
  article: {
    // Validations of Ghost's posts and tags schema.
    titleMaxLength: 255,
    excerptMaxLength: 300,
    formats: ['text', 'html'],
    tags: true,
    categories: false,
    labelMaxLength: 191,
    drafts: true,
    scheduling: true,
  },
};
