import { pageOf, pageQuery, timestamp, uuid, type JsonSchema } from '@markettina/sdk';
import { PIECE_STATUSES, PIECE_TYPES } from '../contracts.js';
import { MAX_CHAIN_DEPTH } from '../domain/pieces-chain.js';
import { GENERATED_BY } from '../domain/pieces.js';
import { nullable, nullableString, nullableTimestamp, nullableUuid, params, platform } from './schemas.js';
import { analysisOut, scoresOut, textFields } from './text-metrics-schemas.js';

const type = { enum: PIECE_TYPES } as const;
const status = { enum: PIECE_STATUSES } as const;

const fields = {
  type,
  title: { ...textFields.title, minLength: 1 },
  body: { ...textFields.body, description: 'Markdown or plain text; for a thread or carousel, blank lines separate the parts (send either body or parts)' },
  parts: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 5000 }, description: 'The posts of a thread or the slides of a carousel' },
  keywords: textFields.keywords,
  metaTitle: textFields.metaTitle,
  metaDescription: textFields.metaDescription,
  campaignId: { ...nullableUuid, description: 'A campaign of the tenant (needs the campaigns plugin)' },
  platform: nullable(platform),
  generatedBy: { enum: GENERATED_BY },
} as const;

export const createPieceBody: JsonSchema = { type: 'object', properties: fields, required: ['type', 'title'], additionalProperties: false };

export const patchPieceBody: JsonSchema = {
  type: 'object',
  properties: { ...fields, parentId: { ...nullableUuid, description: 'Move the piece under another piece of its chain, or null to detach it' } },
  additionalProperties: false,
  minProperties: 1,
};

export const pieceListQuery: JsonSchema = {
  type: 'object',
  properties: {
    ...pageQuery,
    type,
    status,
    platform,
    campaignId: uuid,
    createdFrom: { ...timestamp, description: 'Created at or after this instant' },
    createdTo: { ...timestamp, description: 'Created before this instant' },
  },
  additionalProperties: false,
};

export const transitionBody: JsonSchema = {
  type: 'object',
  properties: {
    to: { ...status, description: 'draft or rejected → review → approved | rejected; back to draft to revise. Approving and rejecting need content.posts:approve, and someone else than who last changed or submitted the piece unless the tenant allows self-approval' },
    notes: { type: 'string', maxLength: 2000, description: 'The reviewer\'s notes; required to reject' },
  },
  required: ['to'],
  additionalProperties: false,
};

export const repurposeBody: JsonSchema = {
  type: 'object',
  properties: {
    targets: {
      type: 'array',
      minItems: 1,
      maxItems: 10,
      items: {
        type: 'object',
        properties: { type, platform, maxLength: { type: 'integer', minimum: 20, maximum: 100000, description: 'Overrides the platform\'s post length, in characters' } },
        required: ['type'],
        additionalProperties: false,
      },
    },
  },
  required: ['targets'],
  additionalProperties: false,
};

export const chainQuery: JsonSchema = {
  type: 'object',
  properties: { depth: { type: 'integer', minimum: 1, maximum: MAX_CHAIN_DEPTH, default: 3, description: 'Levels of descendants to list' } },
  additionalProperties: false,
};

export const pieceOut: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    ...fields,
    body: { type: 'string' },
    parts: { type: 'array', items: { type: 'string' } },
    campaignId: nullableUuid,
    parentId: nullableUuid,
    status,
    reviewedBy: nullableString,
    reviewNotes: nullableString,
    reviewedAt: nullableTimestamp,
    approvedAt: nullableTimestamp,
    scores: scoresOut,
    analysis: analysisOut,
    createdBy: nullableString,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'type', 'title', 'body', 'parts', 'keywords', 'metaTitle', 'metaDescription', 'campaignId', 'platform', 'parentId', 'generatedBy', 'status', 'reviewedBy', 'reviewNotes', 'reviewedAt', 'approvedAt', 'scores', 'analysis', 'createdBy', 'createdAt', 'updatedAt'],
};
export const piecePage = pageOf(pieceOut);

export const repurposeOut: JsonSchema = {
  type: 'object',
  properties: { parentId: uuid, items: { type: 'array', items: pieceOut } },
  required: ['parentId', 'items'],
};

const chainPiece = {
  id: uuid,
  parentId: nullableUuid,
  type,
  platform: nullableString,
  title: { type: 'string' },
  status,
  createdAt: timestamp,
} as const;

/** A chain node with its children, written out level by level (no recursive $ref) down to the deepest chain. */
function chainNode(levels: number): JsonSchema {
  return {
    type: 'object',
    properties: {
      ...chainPiece,
      truncated: { type: 'boolean', description: 'Has children deeper than asked, not listed' },
      children: levels > 0 ? { type: 'array', items: chainNode(levels - 1) } : { type: 'array', maxItems: 0 },
    },
    required: [...Object.keys(chainPiece), 'truncated', 'children'],
  };
}

export const chainOut: JsonSchema = {
  type: 'object',
  properties: {
    ancestors: { type: 'array', items: { type: 'object', properties: chainPiece, required: Object.keys(chainPiece) }, description: 'From the root down to the parent' },
    tree: chainNode(MAX_CHAIN_DEPTH),
    complete: { type: 'boolean', description: 'False when more descendants are in reach than one answer lists' },
  },
  required: ['ancestors', 'tree', 'complete'],
};

export const pieceParams = params('pieceId');
