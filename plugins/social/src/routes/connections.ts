import type { FastifyPluginAsync } from 'fastify';
import { connectWithCredentials, completeOAuth, initiateOAuth } from '../services/connect.js';
import { socialRuntimeRef } from '../runtime.js';
import { accountView } from '../store/accounts.js';
import { account, stringFields } from './schemas.js';

const connectorId = { type: 'string', pattern: '^[a-z][a-z0-9-]*$', maxLength: 64 } as const;

export const connectionRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/connections/oauth',
    {
      config: { permission: 'social.accounts:write' },
      schema: {
        summary: 'Starts connecting an account with OAuth: send the browser to authorizationUrl',
        body: { type: 'object', properties: { connector: connectorId, setup: stringFields }, required: ['connector'], additionalProperties: false },
        response: { 201: { type: 'object', properties: { authorizationUrl: { type: 'string' }, state: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } }, required: ['authorizationUrl', 'state', 'expiresAt'] } },
      },
    },
    async (req, reply) => {
      const out = await initiateOAuth(req.ctx.get(socialRuntimeRef), req.ctx, req.body as { connector: string; setup?: Record<string, string> });
      reply.code(201);
      return out;
    },
  );

  app.post(
    '/connections/oauth/callback',
    {
      config: { permission: 'social.accounts:write' },
      schema: {
        summary: 'Completes an OAuth connection with the code and state the platform sent back',
        body: { type: 'object', properties: { state: { type: 'string', minLength: 1, maxLength: 512 }, code: { type: 'string', minLength: 1, maxLength: 2_048 } }, required: ['state', 'code'], additionalProperties: false },
        response: { 201: account },
      },
    },
    async (req, reply) => {
      const row = await completeOAuth(req.ctx.get(socialRuntimeRef), req.ctx, req.body as { state: string; code: string });
      reply.code(201);
      return accountView(row);
    },
  );

  app.post(
    '/connections/credentials',
    {
      config: { permission: 'social.accounts:write' },
      schema: {
        summary: 'Connects an account with an API key or app password',
        body: { type: 'object', properties: { connector: connectorId, setup: stringFields, fields: stringFields }, required: ['connector', 'fields'], additionalProperties: false },
        response: { 201: account },
      },
    },
    async (req, reply) => {
      const row = await connectWithCredentials(req.ctx.get(socialRuntimeRef), req.ctx, req.body as { connector: string; setup?: Record<string, string>; fields: Record<string, string> });
      reply.code(201);
      return accountView(row);
    },
  );
};
