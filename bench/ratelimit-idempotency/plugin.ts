import type { Knex } from 'knex';
import { definePlugin, enableTenantRls } from '@markettina/sdk';

/**
 * Four write routes with the same effect (one inserted row) that differ only in the
 * kernel policy they declare, so their throughput differs only by what the policy costs.
 */
export const benchPlugin = definePlugin({
  manifest: { id: 'bench', version: '0.0.0', kernel: '^1.0.0', permissions: [{ id: 'bench.items:write', description: 'Write bench items' }] },
  register(reg) {
    reg.migrations([
      {
        name: '0001_items',
        async up(knex: Knex) {
          await knex.raw(`
            create table bench_items (
              account_id uuid not null references accounts (id),
              id uuid not null default gen_random_uuid(),
              title text not null,
              primary key (account_id, id)
            )`);
          await enableTenantRls(knex, 'bench_items');
        },
      },
    ]);
    reg.routes(async (app) => {
      const schema = {
        body: { type: 'object', properties: { title: { type: 'string', maxLength: 200 } }, required: ['title'], additionalProperties: false },
        response: { 201: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' } } } },
      };
      const routes = {
        '/plain': {},
        '/limited': { rateLimit: 'bench' },
        '/idempotent': { idempotency: 'required' },
        '/both': { rateLimit: 'bench', idempotency: 'required' },
      } as const;
      for (const [url, policy] of Object.entries(routes)) {
        app.post(url, { config: { permission: 'bench.items:write', ...policy }, schema }, async (req, reply) => {
          const [row] = await req.ctx.db('bench_items').insert({ account_id: req.ctx.tenant.accountId, title: (req.body as { title: string }).title }).returning(['id', 'title']);
          reply.code(201);
          return row;
        });
      }
    });
  },
});
