import { pageOf, pageQuery, timestamp, uuid, type JsonSchema } from '@markettina/sdk';
import { APPROVAL_STATUSES } from '../domain/approval.js';
import { MAX_VARIANTS } from '../domain/posts.js';
import { DELIVERY_STATUSES } from '../domain/schedule-status.js';
import { nullable, nullableString, nullableUuid, params, platform } from './schemas.js';

const versionNumber = { type: 'integer', minimum: 1, maximum: 2_147_483_647 } as const;

/** Optimistic concurrency: the ETag of the post as read (`"3"`); a write to a newer version is 412. */
export const ifMatch: JsonSchema = {
  type: 'object',
  properties: { 'if-match': { type: 'string', maxLength: 100, description: 'The ETag of the post as you read it, e.g. "3"; 412 POST_VERSION_MISMATCH when it changed since' } },
};

export const postParams = params('postId');
export const versionParams: JsonSchema = { type: 'object', properties: { postId: uuid, version: versionNumber }, required: ['postId', 'version'], additionalProperties: false };
export const variantParams: JsonSchema = { type: 'object', properties: { postId: uuid, platform }, required: ['postId', 'platform'], additionalProperties: false };

const mediaRef: JsonSchema = {
  type: 'object',
  properties: { assetId: uuid, altText: { type: 'string', maxLength: 1500 } },
  required: ['assetId'],
  additionalProperties: false,
};
const media = { type: 'array', maxItems: 20, items: mediaRef } as const;
const threadPart: JsonSchema = {
  type: 'object',
  properties: { text: { type: 'string', maxLength: 10_000 }, media },
  required: ['text'],
  additionalProperties: false,
};
const thread = { type: 'array', maxItems: 50, items: threadPart } as const;
const labels = { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 100 } } as const;
const articleFields = {
  excerpt: { type: 'string', maxLength: 1000 },
  format: { enum: ['text', 'html'] },
  tags: labels,
  categories: labels,
  status: { enum: ['publish', 'draft'] },
} as const;
const article: JsonSchema = { type: ['object', 'null'], properties: articleFields, additionalProperties: false, description: 'Blog-post fields; null for none' };

const title = { type: 'string', maxLength: 300 } as const;
const text = { type: 'string', maxLength: 100_000 } as const;
const firstComment = nullable({ type: 'string', maxLength: 5000 });

export const variantBody: JsonSchema = {
  type: 'object',
  description: "One platform's overrides: a field left out keeps the base; null removes the first comment or the article there",
  properties: { title, text, media, thread, firstComment, article },
  additionalProperties: false,
  minProperties: 1,
};
const variants = { type: 'object', propertyNames: platform, additionalProperties: variantBody, maxProperties: MAX_VARIANTS } as const;

const contentFields = { title, text, media, thread, firstComment, article, variants } as const;

export const createBody: JsonSchema = {
  type: 'object',
  properties: { ...contentFields, campaignId: nullableUuid },
  required: ['text'],
  additionalProperties: false,
};

export const patchBody: JsonSchema = { type: 'object', properties: { ...contentFields, campaignId: nullableUuid }, additionalProperties: false, minProperties: 1 };

export const rejectBody: JsonSchema = {
  type: 'object',
  properties: { reason: { type: 'string', minLength: 1, maxLength: 2000, description: 'What the author must change' } },
  required: ['reason'],
  additionalProperties: false,
};

const range = (what: string) => ({
  [`${what}From`]: { ...timestamp, description: `Only posts ${what} at or after this instant` },
  [`${what}To`]: { ...timestamp, description: `Only posts ${what} before this instant` },
});

export const listQuery: JsonSchema = {
  type: 'object',
  properties: {
    ...pageQuery,
    approvalStatus: { enum: APPROVAL_STATUSES },
    deliveryStatus: { enum: DELIVERY_STATUSES },
    platform: { ...platform, description: 'Posts with a variant for, or a schedule on, this platform' },
    campaignId: uuid,
    hashtag: { type: 'string', pattern: '^#?[\\p{L}\\p{M}\\p{N}_]+$', maxLength: 200, description: 'With or without #; compared case-insensitively' },
    mention: { type: 'string', pattern: '^@?[\\p{L}\\p{M}\\p{N}_][\\p{L}\\p{M}\\p{N}_.@-]*$', maxLength: 300, description: 'With or without @ (user or user@instance); compared case-insensitively' },
    ...range('created'),
    ...range('scheduled'),
  },
  additionalProperties: false,
};

export const diffQuery: JsonSchema = {
  type: 'object',
  properties: { from: versionNumber, to: versionNumber, granularity: { enum: ['word', 'line'], default: 'word' } },
  required: ['from', 'to'],
  additionalProperties: false,
};

// ---- responses ----

const strings = { type: 'array', items: { type: 'string' } } as const;
const contentOut = { title, text, media, thread, firstComment, article, variants: { type: 'object', additionalProperties: variantBody } } as const;
const contentRequired = ['title', 'text', 'media', 'thread', 'firstComment', 'article', 'variants'];

export const postOut: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    version: versionNumber,
    ...contentOut,
    hashtags: strings,
    mentions: strings,
    campaignId: nullableUuid,
    approvalStatus: { enum: APPROVAL_STATUSES },
    deliveryStatus: { enum: DELIVERY_STATUSES },
    review: {
      type: ['object', 'null'],
      properties: { version: versionNumber, by: nullableString, at: timestamp, reason: nullableString },
      required: ['version', 'by', 'at', 'reason'],
    },
    createdBy: nullableString,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'version', ...contentRequired, 'hashtags', 'mentions', 'campaignId', 'approvalStatus', 'deliveryStatus', 'review', 'createdBy', 'createdAt', 'updatedAt'],
};
export const postPage = pageOf(postOut);

const summaryFields = { version: versionNumber, title, restoredFrom: { type: ['integer', 'null'] }, authorId: nullableString, createdAt: timestamp } as const;
export const versionSummaryOut: JsonSchema = { type: 'object', properties: summaryFields, required: Object.keys(summaryFields) };
export const versionPage = pageOf(versionSummaryOut);
export const versionOut: JsonSchema = {
  type: 'object',
  properties: { postId: uuid, ...summaryFields, ...contentOut, hashtags: strings, mentions: strings },
  required: [...new Set(['postId', ...Object.keys(summaryFields), ...contentRequired, 'hashtags', 'mentions'])],
};

const diffOp = { type: 'object', properties: { op: { enum: ['equal', 'insert', 'delete'] }, text: { type: 'string' } }, required: ['op', 'text'] } as const;
export const diffOut: JsonSchema = {
  type: 'object',
  properties: {
    postId: uuid,
    from: versionNumber,
    to: versionNumber,
    granularity: { enum: ['word', 'line'] },
    changes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'e.g. text, thread[1].media, variants.mastodon.text' },
          kind: { enum: ['text', 'value'] },
          change: { enum: ['added', 'removed', 'changed'] },
          before: {},
          after: {},
          diff: { type: 'object', properties: { ops: { type: 'array', items: diffOp }, approximate: { type: 'boolean' } }, required: ['ops', 'approximate'] },
        },
        required: ['path', 'kind', 'change', 'before', 'after'],
      },
    },
  },
  required: ['postId', 'from', 'to', 'granularity', 'changes'],
};

const effectiveOut: JsonSchema = {
  type: 'object',
  properties: { title, text, media, thread, firstComment, article },
  required: ['title', 'text', 'media', 'thread', 'firstComment', 'article'],
};
export const variantOut: JsonSchema = {
  type: 'object',
  properties: {
    platform,
    override: { anyOf: [variantBody, { type: 'null' }] },
    effective: { ...effectiveOut, description: 'What the platform is sent: the base with the override laid over it' },
  },
  required: ['platform', 'override', 'effective'],
};
