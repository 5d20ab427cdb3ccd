import { PLAN_TIERS, pageOf, pageQuery, timestamp, uuid } from '@markettina/sdk';
import { FLAG_KEY, FLAG_KEY_MAX, FLAG_TYPES } from './definition.js';

/** JSON Schemas of the flags routes (they also make the OpenAPI document). */

/** Any value a flag may hold, in requests; whether it fits the flag's type is checked by the service (422). */
const flagValueIn = { type: ['boolean', 'string', 'number', 'object'], description: 'A value of the flag’s type' } as const;
/** In responses: any JSON, serialised as is. */
const flagValueOut = { description: 'A value of the flag’s type' } as const;
const variant = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' } as const;

export const flagKey = { type: 'string', pattern: FLAG_KEY.source, maxLength: FLAG_KEY_MAX, description: '`<owner>.<name>`; the owner is `kernel` or a plugin id' } as const;

const rollout = (value: object) => ({
  type: 'object',
  description: 'Tenants whose stable hash of (flag key, account id) falls below `percentage`% get `value`',
  properties: { percentage: { type: 'number', minimum: 0, maximum: 100 }, value, variant },
  required: ['percentage', 'value'],
  additionalProperties: false,
});

const targetingRule = (value: object) => ({
  type: 'object',
  description: 'Tenants on one of `planTiers` get `value`; the first matching rule wins',
  properties: { planTiers: { type: 'array', items: { type: 'string', enum: PLAN_TIERS }, minItems: 1, uniqueItems: true }, value, variant },
  required: ['planTiers', 'value'],
  additionalProperties: false,
});

const targeting = (value: object) => ({ type: 'array', items: targetingRule(value), maxItems: 20 });
const nullableRollout = (value: object) => ({ anyOf: [rollout(value), { type: 'null' }] });

export const flagOut = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    owner: { type: 'string' },
    origin: { type: 'string', enum: ['declared', 'admin'], description: '`declared` flags follow their owner’s code for type, description and default' },
    description: { type: 'string' },
    type: { type: 'string', enum: FLAG_TYPES },
    defaultValue: flagValueOut,
    enabled: { type: 'boolean', description: 'False is the kill switch: everyone gets the default' },
    rollout: nullableRollout(flagValueOut),
    targeting: targeting(flagValueOut),
    updatedAt: timestamp,
  },
  required: ['key', 'owner', 'origin', 'description', 'type', 'defaultValue', 'enabled', 'rollout', 'targeting', 'updatedAt'],
} as const;

export const keyParams = { type: 'object', properties: { key: flagKey }, required: ['key'], additionalProperties: false } as const;
export const overrideParams = {
  type: 'object',
  properties: { key: flagKey, accountId: uuid },
  required: ['key', 'accountId'],
  additionalProperties: false,
} as const;

export const listQuery = { type: 'object', properties: pageQuery, additionalProperties: false } as const;
export const flagPage = pageOf(flagOut);

export const createBody = {
  type: 'object',
  properties: {
    key: flagKey,
    description: { type: 'string', maxLength: 1000 },
    type: { type: 'string', enum: FLAG_TYPES },
    defaultValue: flagValueIn,
    enabled: { type: 'boolean' },
    rollout: nullableRollout(flagValueIn),
    targeting: targeting(flagValueIn),
  },
  required: ['key', 'type', 'defaultValue'],
  additionalProperties: false,
} as const;

export const patchBody = {
  type: 'object',
  properties: {
    description: { type: 'string', maxLength: 1000 },
    defaultValue: flagValueIn,
    enabled: { type: 'boolean' },
    rollout: nullableRollout(flagValueIn),
    targeting: targeting(flagValueIn),
  },
  minProperties: 1,
  additionalProperties: false,
} as const;

export const overrideBody = { type: 'object', properties: { value: flagValueIn }, required: ['value'], additionalProperties: false } as const;
export const overrideOut = {
  type: 'object',
  properties: { accountId: uuid, key: { type: 'string' }, value: flagValueOut },
  required: ['accountId', 'key', 'value'],
} as const;

// OFREP (OpenFeature Remote Evaluation Protocol) shapes.

const ofrepContext = {
  type: 'object',
  description: 'Evaluation context. `targetingKey`, when given, must be the caller’s own account id.',
  properties: { targetingKey: { type: 'string', maxLength: 256 } },
} as const;

export const ofrepRequest = { type: 'object', properties: { context: ofrepContext } } as const;

export const ofrepEvaluation = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    value: flagValueOut,
    reason: { type: 'string', enum: ['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DEFAULT', 'DISABLED', 'ERROR'] },
    variant: { type: 'string' },
    metadata: { type: 'object', additionalProperties: { type: ['boolean', 'string', 'number'] } },
  },
  required: ['key', 'value', 'reason'],
} as const;

export const ofrepBulk = { type: 'object', properties: { flags: { type: 'array', items: ofrepEvaluation } }, required: ['flags'] } as const;

export const ofrepKeyParams = { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] } as const;
