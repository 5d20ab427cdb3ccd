import type { FastifyPluginAsync } from 'fastify';
import { PERMISSIONS, type CampaignStatus } from '../contracts.js';
import type { CampaignFields, CampaignPatch } from '../domain/campaign.js';
import type { CampaignFilter } from '../services/campaigns.js';
import { noContentReply, services } from './context.js';
import { campaignOut, campaignPage, createBody, errors, listQuery, noContent, params, patchBody, transitionBody } from './schemas.js';

const read = { permission: PERMISSIONS.campaignsRead, rateLimit: 'read' };
const write = { permission: PERMISSIONS.campaignsWrite, rateLimit: 'write', idempotency: 'optional' } as const;
const id = params('campaignId');
const campaignId = (req: { params: unknown }) => (req.params as { campaignId: string }).campaignId;

/** Campaigns: plan them, run them through their lifecycle, list them by status and dates. */
export const campaignRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/campaigns',
    {
      config: read,
      schema: {
        summary: 'List campaigns, newest first; filter by status and by dates the campaign runs on',
        querystring: listQuery,
        response: { 200: campaignPage, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const { limit, cursor, ...filter } = req.query as { limit: number; cursor?: string } & CampaignFilter;
      return services(req).campaigns.list(req.ctx.db, filter, { limit, ...(cursor ? { cursor } : {}) });
    },
  );

  app.get('/campaigns/:campaignId', { config: read, schema: { summary: 'Read a campaign', params: id, response: { 200: campaignOut, ...errors(400, 401, 403, 404) } } }, async (req) =>
    services(req).campaigns.get(req.ctx.db, campaignId(req)),
  );

  app.post(
    '/campaigns',
    { config: write, schema: { summary: 'Plan a campaign (it starts in planning)', body: createBody, response: { 201: campaignOut, ...errors(400, 401, 403, 409, 422) } } },
    async (req, reply) => {
      const body = req.body as Omit<CampaignFields, 'description' | 'goals'> & Partial<Pick<CampaignFields, 'description' | 'goals'>>;
      const created = await services(req).campaigns.create(req.ctx.db, req.ctx.tenant.accountId, { description: '', goals: [], ...body });
      reply.code(201).header('location', `/v1/campaigns/campaigns/${created.id}`);
      return created;
    },
  );

  app.patch(
    '/campaigns/:campaignId',
    {
      config: write,
      schema: {
        summary: 'Change a campaign; what may change depends on its status',
        params: id,
        body: patchBody,
        response: { 200: campaignOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => services(req).campaigns.update(req.ctx.db, campaignId(req), req.body as CampaignPatch),
  );

  app.post(
    '/campaigns/:campaignId/transitions',
    {
      config: write,
      schema: {
        summary: 'Move a campaign along planning → active ⇄ paused → completed',
        params: id,
        body: transitionBody,
        response: { 200: campaignOut, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => services(req).campaigns.transition(req.ctx.db, campaignId(req), (req.body as { to: CampaignStatus }).to),
  );

  app.delete(
    '/campaigns/:campaignId',
    { config: write, schema: { summary: 'Delete a campaign still in planning', params: id, response: { ...noContent, ...errors(400, 401, 403, 404, 409) } } },
    async (req, reply) => {
      await services(req).campaigns.remove(req.ctx.db, campaignId(req));
      return noContentReply(reply);
    },
  );
};
