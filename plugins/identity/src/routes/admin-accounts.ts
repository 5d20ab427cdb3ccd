import type { FastifyPluginAsync } from 'fastify';
import { uuid } from '@markettina/sdk';
import { PERMISSIONS } from '../contracts.js';
import type { NewAccountInput } from '../services/accounts.js';
import { audited } from './audited.js';
import { services } from './context.js';
import { accountOut, email, errors, itemsOf, name, params, password, planTier, userOut } from './schemas.js';

const config = { permission: PERMISSIONS.platformAdmin };

/** Tenants, as the platform administers them: creation with a plan and an owner, plan changes. */
export const adminAccountRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/admin/accounts',
    {
      config,
      schema: {
        summary: 'Create an account (optionally a sub-account) with a plan tier and its first user; publishes identity.AccountCreated',
        body: {
          type: 'object',
          properties: {
            name,
            planTier,
            parentId: uuid,
            owner: { type: 'object', properties: { email, password, displayName: { type: 'string', maxLength: 200 } }, required: ['email'], additionalProperties: false },
          },
          required: ['name', 'planTier'],
          additionalProperties: false,
        },
        response: { 201: { type: 'object', properties: { account: accountOut, owner: userOut }, required: ['account'] }, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const body = req.body as NewAccountInput;
      const details = { name: body.name, planTier: body.planTier, parentId: body.parentId ?? null, owner: body.owner?.email ?? null };
      const created = await audited(req, { action: 'accounts.create', details }, () => services(req).accounts.create(req.ctx.db, body), (made) => ({ targetAccount: made.account.id }));
      reply.code(201).header('location', `/v1/identity/admin/accounts/${created.account.id}`);
      return created;
    },
  );

  app.get('/admin/accounts/:accountId', { config, schema: { summary: 'Read an account', params: params('accountId'), response: { 200: accountOut, ...errors(400, 401, 403, 404) } } }, async (req) => {
    const { accountId } = req.params as { accountId: string };
    return audited(req, { action: 'accounts.read', targetAccount: accountId }, () => services(req).accounts.get(req.ctx.db, accountId));
  });

  app.get(
    '/admin/accounts/:accountId/children',
    { config, schema: { summary: 'Sub-accounts of an account', params: params('accountId'), response: { 200: itemsOf(accountOut), ...errors(400, 401, 403, 404) } } },
    async (req) => {
      const { accountId } = req.params as { accountId: string };
      return audited(req, { action: 'accounts.children', targetAccount: accountId }, async () => ({ items: await services(req).accounts.children(req.ctx.db, accountId) }));
    },
  );

  app.patch(
    '/admin/accounts/:accountId',
    {
      config,
      schema: {
        summary: 'Change an account’s plan tier; publishes identity.AccountPlanChanged',
        params: params('accountId'),
        body: { type: 'object', properties: { planTier }, required: ['planTier'], additionalProperties: false },
        response: { 200: accountOut, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req) => {
      const { accountId } = req.params as { accountId: string };
      const { planTier: tier } = req.body as { planTier: NewAccountInput['planTier'] };
      return audited(req, { action: 'accounts.set-plan', targetAccount: accountId, details: { planTier: tier } }, () => services(req).accounts.setPlan(req.ctx.db, accountId, tier));
    },
  );
};
