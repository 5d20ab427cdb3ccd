import { pageOf, pageQuery, timestamp, uuid, type JsonSchema } from '@markettina/sdk';

/** Response schemas of the problems a route can answer; every route lists its own. */
export const problem = { $ref: 'Problem#' } as const;
export const errors = (...statuses: number[]): Record<number, typeof problem> => Object.fromEntries(statuses.map((s) => [s, problem]));

export const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const params = (...names: string[]): JsonSchema => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, uuid])),
  required: names,
  additionalProperties: false,
});

export const listQuery: JsonSchema = { type: 'object', properties: { ...pageQuery }, additionalProperties: false };
export const noContent = { 204: { type: 'null', description: 'Done' } } as const;
export const itemsOf = (item: JsonSchema): JsonSchema => ({ type: 'object', properties: { items: { type: 'array', items: item } }, required: ['items'] });

export const email = { type: 'string', format: 'email', minLength: 3, maxLength: 254 } as const;
export const password = { type: 'string', minLength: 1, maxLength: 256, description: 'At least 12 characters; checked against a password policy' } as const;
export const name = { type: 'string', minLength: 1, maxLength: 100 } as const;
export const planTier = { enum: ['free', 'starter', 'pro', 'enterprise'] } as const;
export const permissionList = { type: 'array', maxItems: 200, items: { type: 'string', minLength: 1, maxLength: 120 } } as const;

export const principalOut: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, type: { enum: ['user', 'api_key', 'admin', 'service'] }, accountId: uuid, permissions: { type: 'array', items: { type: 'string' } } },
  required: ['id', 'type', 'accountId', 'permissions'],
};

export const accountOut: JsonSchema = {
  type: 'object',
  properties: { id: uuid, name: { type: 'string' }, planTier, status: { enum: ['active', 'suspended', 'closed'] }, parentId: nullable(uuid), createdAt: timestamp },
  required: ['id', 'name', 'planTier', 'status', 'parentId', 'createdAt'],
};

export const userOut: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    email: { type: 'string' },
    displayName: { type: 'string' },
    emailVerified: { type: 'boolean' },
    roleKey: { type: 'string' },
    role: { type: 'object', properties: { id: uuid, key: { type: 'string' } }, required: ['id', 'key'] },
    status: { enum: ['active', 'disabled'] },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'email', 'displayName', 'emailVerified', 'roleKey', 'role', 'status', 'createdAt', 'updatedAt'],
};
export const userPage = pageOf(userOut);

export const roleOut: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    key: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    builtin: { type: 'boolean' },
    definition: {
      type: 'object',
      properties: { grants: { type: 'array', items: { type: 'string' } }, except: { type: 'array', items: { type: 'string' } } },
      required: ['grants', 'except'],
    },
    permissions: { type: 'array', items: { type: 'string' } },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'key', 'name', 'description', 'builtin', 'definition', 'permissions', 'createdAt', 'updatedAt'],
};

export const apiKeyOut: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string' },
    prefix: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    createdBy: { type: ['string', 'null'] },
    expiresAt: nullableTime,
    lastUsedAt: nullableTime,
    revokedAt: nullableTime,
    createdAt: timestamp,
  },
  required: ['id', 'name', 'prefix', 'scopes', 'createdBy', 'expiresAt', 'lastUsedAt', 'revokedAt', 'createdAt'],
};

export const deviceOut: JsonSchema = {
  type: 'object',
  properties: { id: uuid, name: { type: 'string' }, createdAt: timestamp, lastUsedAt: nullableTime, expiresAt: timestamp },
  required: ['id', 'name', 'createdAt', 'lastUsedAt', 'expiresAt'],
};

export const tokenPairOut: JsonSchema = {
  type: 'object',
  properties: {
    tokenType: { const: 'Bearer' },
    accessToken: { type: 'string' },
    expiresIn: { type: 'integer', description: 'Seconds the access token is valid' },
    refreshToken: { type: 'string', description: 'Use once; each refresh returns a new one' },
    refreshExpiresAt: timestamp,
  },
  required: ['tokenType', 'accessToken', 'expiresIn', 'refreshToken', 'refreshExpiresAt'],
};

export const pluginStateOut: JsonSchema = {
  type: 'object',
  properties: {
    pluginId: { type: 'string' },
    version: { type: ['string', 'null'] },
    installed: { type: 'boolean' },
    enabled: { type: 'boolean' },
    settings: { type: 'object', additionalProperties: true },
    hasSecrets: { type: 'boolean', description: 'Secrets are write-only: only whether some are set is shown' },
  },
  required: ['pluginId', 'version', 'installed', 'enabled', 'settings', 'hasSecrets'],
};
