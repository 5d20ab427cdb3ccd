import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { ProblemError } from '@markettina/sdk';

const status = { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } as const;

/** Liveness says the process answers; readiness says it can reach its database. */
export function registerHealth(app: FastifyInstance, knex: Knex) {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: status } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['health'], response: { 200: status } } }, async () => {
    try {
      await knex.raw('select 1');
    } catch {
      throw new ProblemError({ status: 503, code: 'NOT_READY', title: 'Not ready', detail: 'the database is unreachable' });
    }
    return { status: 'ready' };
  });
}
