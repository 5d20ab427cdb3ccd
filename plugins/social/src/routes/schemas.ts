import { pageOf, pageQuery, timestamp, uuid, type JsonSchema } from '@markettina/sdk';
import { PUBLICATION_STATUSES } from '../contracts.js';

const nullableString = { type: ['string', 'null'] } as const;
const openObject = { type: 'object', additionalProperties: true } as const;

export const idParams: JsonSchema = { type: 'object', properties: { id: uuid }, required: ['id'], additionalProperties: false };

export const platform: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    version: { type: 'string' },
    contractVersion: { type: 'integer' },
    auth: openObject,
    setup: { type: ['object', 'null'], additionalProperties: true },
    capabilities: openObject,
  },
  required: ['id', 'name', 'version', 'contractVersion', 'auth', 'setup', 'capabilities'],
};

export const account: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    connector: { type: 'string' },
    origin: { type: 'string' },
    externalId: { type: 'string' },
    displayName: { type: 'string' },
    handle: nullableString,
    profileUrl: nullableString,
    settings: { type: 'object', additionalProperties: { type: 'string' } },
    status: { type: 'string', enum: ['pending_channel', 'connected', 'reconnect_required', 'disconnected'] },
    health: { type: 'string', enum: ['ok', 'degraded', 'failing'] },
    lastError: nullableString,
    channels: { type: ['array', 'null'], items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } },
    tokenExpiresAt: nullableString,
    lastRefreshedAt: nullableString,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'connector', 'origin', 'externalId', 'displayName', 'status', 'health', 'settings', 'createdAt', 'updatedAt'],
};

export const accountPage = pageOf(account);

export const post: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    socialAccountId: uuid,
    status: { type: 'string', enum: ['pending', 'published', 'failed', 'unconfirmed', 'deleted'] },
    externalId: nullableString,
    url: nullableString,
    parts: { type: 'array', items: { type: 'object', properties: { externalId: { type: 'string' }, url: { type: 'string' } } } },
    failure: { type: ['object', 'null'], properties: { code: { type: 'string' }, reason: { type: 'string' } } },
    metrics: { type: ['object', 'null'], additionalProperties: { type: 'integer' } },
    metricsAt: nullableString,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'socialAccountId', 'status', 'parts', 'createdAt', 'updatedAt'],
};

export const violation: JsonSchema = {
  type: 'object',
  properties: { code: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' }, limit: { type: 'integer' }, actual: { type: 'integer' } },
  required: ['code', 'path', 'message'],
};

/** Setup and credential fields: strings keyed by the names the connector declares. */
export const stringFields: JsonSchema = { type: 'object', maxProperties: 20, additionalProperties: { type: 'string', maxLength: 2_000 } };

/** Response schemas of the problems a route can answer. */
export const errors = (...statuses: number[]): Record<number, { $ref: string }> => Object.fromEntries(statuses.map((s) => [s, { $ref: 'Problem#' }]));

const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;

export const publication: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    socialAccountId: uuid,
    connector: { type: 'string' },
    status: { type: 'string', enum: [...PUBLICATION_STATUSES] },
    dueAt: timestamp,
    timeZone: nullableString,
    source: { type: 'object', properties: { plugin: { type: 'string' }, id: { type: 'string' }, version: { type: 'integer' } }, required: ['plugin', 'id'] },
    campaignId: { type: ['string', 'null'], format: 'uuid' },
    attempts: { type: 'integer' },
    nextAttemptAt: nullableTimestamp,
    externalId: nullableString,
    url: nullableString,
    publishedAt: nullableTimestamp,
    failure: { type: ['object', 'null'], properties: { code: { type: 'string' }, reason: { type: 'string' } }, required: ['code', 'reason'] },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'socialAccountId', 'connector', 'status', 'dueAt', 'timeZone', 'source', 'campaignId', 'attempts', 'nextAttemptAt', 'externalId', 'url', 'publishedAt', 'failure', 'createdAt', 'updatedAt'],
};

export const publicationPage = pageOf(publication);

export const publicationListQuery: JsonSchema = {
  type: 'object',
  properties: {
    ...pageQuery,
    status: { type: 'string', enum: [...PUBLICATION_STATUSES] },
    platform: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', maxLength: 64, description: 'Connector id, e.g. mastodon' },
    campaignId: uuid,
    socialAccountId: uuid,
    dueFrom: { ...timestamp, description: 'Only publications due at or after this instant' },
    dueTo: { ...timestamp, description: 'Only publications due before this instant' },
  },
  additionalProperties: false,
};
