import type { FastifyPluginAsync } from 'fastify';
import { problems } from '@markettina/sdk';
import { socialPublisher } from '../contracts.js';
import { publicationNotFound } from '../services/publisher.js';
import { listPublications, type PublicationFilter } from '../store/publications.js';
import { errors, idParams, publication, publicationListQuery, publicationPage } from './schemas.js';

const read = { permission: 'social.posts:read', rateLimit: 'read' };
const write = { permission: 'social.posts:write', rateLimit: 'write', idempotency: 'optional' } as const;
const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;

/** Scheduled publications and what became of them; other plugins schedule them through `socialPublisher`. */
export const publicationRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/publications',
    {
      config: read,
      schema: {
        summary: 'List publications in due order; filter by status, platform, campaign, account and due time',
        querystring: publicationListQuery,
        response: { 200: publicationPage, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const { limit, cursor, ...filter } = req.query as { limit: number; cursor?: string } & PublicationFilter;
      if (filter.dueFrom && filter.dueTo && Date.parse(filter.dueFrom) > Date.parse(filter.dueTo)) throw problems.badRequest('DUE_RANGE_INVALID', 'dueFrom is after dueTo');
      return listPublications(req.ctx.db, filter, { limit, ...(cursor ? { cursor } : {}) });
    },
  );

  app.get('/publications/:id', { config: read, schema: { summary: 'Read a publication', params: idParams, response: { 200: publication, ...errors(400, 401, 403, 404) } } }, async (req) => {
    const view = await req.ctx.get(socialPublisher).get(req.ctx.db, idOf(req));
    if (!view) throw publicationNotFound();
    return view;
  });

  app.post(
    '/publications/:id/cancel',
    {
      config: write,
      schema: {
        summary: 'Withdraw a publication before it is published (scheduled, or retrying after a failure that published nothing)',
        params: idParams,
        response: { 200: publication, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => req.ctx.get(socialPublisher).cancel(req.ctx.db, idOf(req)),
  );
};
