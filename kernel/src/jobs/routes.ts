import type { FastifyPluginAsync } from 'fastify';
import { problems, timestamp, uuid, type Jobs } from '@markettina/sdk';

const jobStatusSchema = {
  type: 'object',
  properties: {
    id: uuid,
    type: { type: 'string' },
    state: { enum: ['queued', 'running', 'succeeded', 'dead'] },
    progress: { type: 'integer', minimum: 0, maximum: 100 },
    attempts: { type: 'integer' },
    maxAttempts: { type: 'integer' },
    runAt: timestamp,
    lastError: { type: ['string', 'null'] },
    result: { type: ['object', 'null'], additionalProperties: true },
    createdAt: timestamp,
    updatedAt: timestamp,
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'type', 'state', 'progress', 'attempts', 'maxAttempts', 'runAt', 'lastError', 'result', 'createdAt', 'updatedAt', 'finishedAt'],
} as const;

/** `GET /v1/jobs/{id}`: lets a client poll a durable job of its own tenant. */
export function jobRoutes(jobs: Jobs): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/jobs/:id',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Status and progress of a durable job',
          params: { type: 'object', properties: { id: uuid }, required: ['id'], additionalProperties: false },
          response: { 200: jobStatusSchema, 404: { $ref: 'Problem#' } },
        },
      },
      async (req) => {
        const status = await jobs.get(req.ctx.db, (req.params as { id: string }).id);
        if (!status) throw problems.notFound('job');
        return status;
      },
    );
  };
}
