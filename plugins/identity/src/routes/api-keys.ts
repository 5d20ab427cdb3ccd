import type { FastifyPluginAsync } from 'fastify';
import { PERMISSIONS } from '../contracts.js';
import { held, services } from './context.js';
import { apiKeyOut, errors, listQuery, name, params, permissionList } from './schemas.js';
import { pageOf } from '@markettina/sdk';

const createdOut = {
  type: 'object',
  properties: { key: { type: 'string', description: 'The secret key, shown only in this response' }, apiKey: apiKeyOut },
  required: ['key', 'apiKey'],
};

/** API keys of the account: created with scopes you hold, shown once, revoked at once everywhere. */
export const apiKeyRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/api-keys',
    { config: { permission: PERMISSIONS.apiKeysRead }, schema: { summary: 'List API keys (never their secrets)', querystring: listQuery, response: { 200: pageOf(apiKeyOut), ...errors(400, 401, 403) } } },
    async (req) => services(req).apiKeys.list(req.ctx.db, req.query as { limit: number; cursor?: string }),
  );

  app.post(
    '/api-keys',
    {
      config: { permission: PERMISSIONS.apiKeysWrite },
      schema: {
        summary: 'Create an API key; its scopes (permissions or patterns such as crm.*:read) must be within your own',
        body: {
          type: 'object',
          properties: { name, scopes: { ...permissionList, minItems: 1 }, expiresAt: { type: ['string', 'null'], format: 'date-time' } },
          required: ['name', 'scopes'],
          additionalProperties: false,
        },
        response: { 201: createdOut, ...errors(400, 401, 403, 422) },
      },
    },
    async (req, reply) => {
      const body = req.body as { name: string; scopes: string[]; expiresAt?: string | null };
      const created = await services(req).apiKeys.create(req.ctx.db, req.ctx.tenant.accountId, { ...body, createdBy: req.principal!.id }, held(req));
      reply.code(201).header('location', `/v1/identity/api-keys/${created.apiKey.id}`).header('cache-control', 'no-store');
      return created;
    },
  );

  app.delete(
    '/api-keys/:keyId',
    { config: { permission: PERMISSIONS.apiKeysWrite }, schema: { summary: 'Revoke an API key, on every node with the next request', params: params('keyId'), response: { 200: apiKeyOut, ...errors(400, 401, 403, 404) } } },
    async (req) => services(req).apiKeys.revoke(req.ctx.db, (req.params as { keyId: string }).keyId),
  );
};
