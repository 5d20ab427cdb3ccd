import type { FastifyPluginAsync } from 'fastify';
import { decodeCursor, encodeCursor, pageQuery, problems } from '@markettina/sdk';
import { checkHealth } from '../services/account-calls.js';
import { chooseChannel, disconnect } from '../services/connect.js';
import { accountNotFound, socialRuntimeRef } from '../runtime.js';
import { accountView, findAccount, type AccountRow } from '../store/accounts.js';
import { account, accountPage, idParams } from './schemas.js';

export const accountRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/accounts',
    {
      config: { permission: 'social.accounts:read' },
      schema: { summary: 'Connected social accounts', querystring: { type: 'object', properties: pageQuery, additionalProperties: false }, response: { 200: accountPage } },
    },
    async (req) => {
      const { limit, cursor } = req.query as { limit: number; cursor?: string };
      let q = req.ctx.db<AccountRow>('social_accounts').orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(limit + 1);
      if (cursor) {
        const key = decodeCursor(cursor, 2);
        if (!key) throw problems.badRequest('INVALID_CURSOR', 'cursor is not one this API issued');
        q = q.whereRaw('(created_at, id) > (?::timestamptz, ?::uuid)', key as [string, string]);
      }
      const rows = await q;
      const items = rows.slice(0, limit).map(accountView);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt, last.id]) : null };
    },
  );

  app.get('/accounts/:id', { config: { permission: 'social.accounts:read' }, schema: { params: idParams, response: { 200: account } } }, async (req) => {
    const row = await findAccount(req.ctx.db, (req.params as { id: string }).id);
    if (!row) throw accountNotFound();
    return accountView(row);
  });

  app.post(
    '/accounts/:id/channel',
    {
      config: { permission: 'social.accounts:write' },
      schema: {
        summary: 'Picks the page or channel to post as, where the platform needs one',
        params: idParams,
        body: { type: 'object', properties: { channelId: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['channelId'], additionalProperties: false },
        response: { 200: account },
      },
    },
    async (req) => accountView(await chooseChannel(req.ctx.get(socialRuntimeRef), req.ctx, (req.params as { id: string }).id, (req.body as { channelId: string }).channelId)),
  );

  app.post(
    '/accounts/:id/check',
    { config: { permission: 'social.accounts:write' }, schema: { summary: 'Checks with the platform that the account still works, and updates its health', params: idParams, response: { 200: account } } },
    async (req) => {
      const row = await findAccount(req.ctx.db, (req.params as { id: string }).id);
      if (!row) throw accountNotFound();
      return accountView(await checkHealth(req.ctx.get(socialRuntimeRef), req.ctx.db, req.ctx.tenant.accountId, row));
    },
  );

  app.delete('/accounts/:id', { config: { permission: 'social.accounts:write' }, schema: { summary: 'Disconnects an account and forgets its credentials', params: idParams } }, async (req, reply) => {
    await disconnect(req.ctx.get(socialRuntimeRef), req.ctx, (req.params as { id: string }).id);
    reply.code(204);
    return null;
  });
};
