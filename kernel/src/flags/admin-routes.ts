import type { FastifyPluginAsync } from 'fastify';
import { decodeCursor, encodeCursor, problems } from '@markettina/sdk';
import type { FlagAdmin, FlagPatch, NewFlag } from './admin.js';
import { createBody, flagOut, flagPage, keyParams, listQuery, overrideBody, overrideOut, overrideParams, patchBody } from './schemas.js';

const config = { permission: 'kernel.flags:admin' };
const tags = ['flags'];
const noContent = { 204: { type: 'null', description: 'Done' } };

/** Operators' API for flags, under `/v1/kernel`. Every route needs `kernel.flags:admin`. */
export function flagAdminRoutes(admin: FlagAdmin): FastifyPluginAsync {
  return async (app) => {
    app.get('/flags', { config, schema: { tags, summary: 'List flag definitions', querystring: listQuery, response: { 200: flagPage } } }, async (req) => {
      const { limit, cursor } = req.query as { limit: number; cursor?: string };
      let after: string | undefined;
      if (cursor) {
        const key = decodeCursor(cursor, 1);
        if (!key || typeof key[0] !== 'string') throw problems.badRequest('INVALID_CURSOR', 'cursor is not one this API issued');
        after = key[0];
      }
      const rows = await admin.list(limit + 1, after);
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? encodeCursor([items.at(-1)!.key]) : null };
    });

    app.post('/flags', { config, schema: { tags, summary: 'Define a flag', body: createBody, response: { 201: flagOut } } }, async (req, reply) => {
      const flag = await admin.create(req.body as NewFlag);
      reply.code(201).header('location', `/v1/kernel/flags/${flag.key}`);
      return flag;
    });

    app.get('/flags/:key', { config, schema: { tags, summary: 'Read a flag definition', params: keyParams, response: { 200: flagOut } } }, async (req) =>
      admin.get((req.params as { key: string }).key),
    );

    app.patch(
      '/flags/:key',
      {
        config,
        schema: {
          tags,
          summary: 'Change a flag: enabled, rollout, targeting (and description and default of flags created here)',
          params: keyParams,
          body: patchBody,
          response: { 200: flagOut },
        },
      },
      async (req) => admin.update((req.params as { key: string }).key, req.body as FlagPatch),
    );

    app.delete(
      '/flags/:key',
      { config, schema: { tags, summary: 'Delete a flag created through this API, with its overrides', params: keyParams, response: noContent } },
      async (req, reply) => {
        await admin.remove((req.params as { key: string }).key);
        return reply.code(204).send();
      },
    );

    app.put(
      '/flags/:key/overrides/:accountId',
      { config, schema: { tags, summary: 'Set one tenant’s value of a flag', params: overrideParams, body: overrideBody, response: { 200: overrideOut } } },
      async (req) => {
        const { key, accountId } = req.params as { key: string; accountId: string };
        return admin.setOverride(accountId, key, (req.body as { value: unknown }).value);
      },
    );

    app.delete(
      '/flags/:key/overrides/:accountId',
      { config, schema: { tags, summary: 'Clear one tenant’s override of a flag', params: overrideParams, response: noContent } },
      async (req, reply) => {
        const { key, accountId } = req.params as { key: string; accountId: string };
        await admin.clearOverride(accountId, key);
        return reply.code(204).send();
      },
    );
  };
}
