import type { FastifyPluginAsync } from 'fastify';
import { PERMISSIONS } from '../contracts.js';
import { services } from './context.js';
import { accountOut, errors, itemsOf, name, params, pluginStateOut } from './schemas.js';

const switchOut = {
  type: 'object',
  properties: { tokenType: { const: 'Bearer' }, accessToken: { type: 'string' }, expiresIn: { type: 'integer' }, account: accountOut },
  required: ['tokenType', 'accessToken', 'expiresIn', 'account'],
};

/** The caller's account, its sub-accounts, the switch into one, and what the account has enabled. */
export const accountRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/account',
    { config: { permission: PERMISSIONS.accountRead }, schema: { summary: "The caller's account", response: { 200: accountOut, ...errors(401, 403) } } },
    async (req) => services(req).accounts.get(req.ctx.db, req.ctx.tenant.accountId),
  );

  app.get(
    '/plugins',
    {
      config: { permission: PERMISSIONS.accountRead },
      schema: { summary: 'Plugins installed on this deployment and whether this account has them enabled (secrets never shown)', response: { 200: itemsOf(pluginStateOut), ...errors(401, 403) } },
    },
    async (req) => ({ items: await services(req).plugins.states(req.ctx.db, req.ctx.tenant.accountId) }),
  );

  app.get(
    '/accounts',
    { config: { permission: PERMISSIONS.accountsRead }, schema: { summary: 'Sub-accounts of the caller’s account', response: { 200: itemsOf(accountOut), ...errors(401, 403) } } },
    async (req) => ({ items: await services(req).accounts.children(req.ctx.db, req.ctx.tenant.accountId) }),
  );

  app.post(
    '/accounts',
    {
      config: { permission: PERMISSIONS.accountsWrite },
      schema: {
        summary: 'Create a sub-account (it gets the parent’s plan tier; platform administrators change plans)',
        body: { type: 'object', properties: { name }, required: ['name'], additionalProperties: false },
        response: { 201: accountOut, ...errors(400, 401, 403, 422) },
      },
    },
    async (req, reply) => {
      const { name: accountName } = req.body as { name: string };
      const { account } = await services(req).accounts.create(req.ctx.db, { name: accountName, planTier: req.ctx.tenant.planTier, parentId: req.ctx.tenant.accountId });
      reply.code(201).header('location', `/v1/identity/accounts/${account.id}`);
      return account;
    },
  );

  app.post(
    '/accounts/:accountId/switch',
    {
      config: { permission: PERMISSIONS.accountsSwitch },
      schema: {
        summary: 'Act in a sub-account: a short-lived access token for it, recorded in both accounts',
        params: params('accountId'),
        response: { 200: switchOut, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { accountId } = req.params as { accountId: string };
      const s = services(req);
      const sessionId = (await s.authenticator.claimsOf(req.headers.authorization))?.sid;
      const switched = await s.accounts.switchTo(req.ctx.db, req.principal!, accountId, sessionId);
      return { tokenType: 'Bearer', ...switched };
    },
  );
};
