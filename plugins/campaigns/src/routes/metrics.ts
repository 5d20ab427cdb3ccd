import type { FastifyPluginAsync } from 'fastify';
import { METRIC_NAMES, timestamp, uuid, type JsonSchema } from '@markettina/sdk';
import { GOAL_KPIS, PERMISSIONS } from '../contracts.js';
import { services } from './context.js';
import { errors, params } from './schemas.js';

const count = { type: 'integer', minimum: 0 } as const;
const nullableCount = { type: ['integer', 'null'], minimum: 0 } as const;
const nullableRate = { type: ['number', 'null'], minimum: 0, description: 'A percentage' } as const;

const goalProgress: JsonSchema = {
  type: 'object',
  properties: {
    kpi: { enum: GOAL_KPIS },
    target: { type: 'number' },
    actual: { type: ['number', 'null'], description: 'Null when post metrics do not measure this KPI' },
    progress: { type: ['number', 'null'], description: 'actual / target × 100; may pass 100' },
    reached: { type: 'boolean' },
  },
  required: ['kpi', 'target', 'actual', 'progress', 'reached'],
};

const campaignMetrics: JsonSchema = {
  type: 'object',
  properties: {
    campaignId: uuid,
    posts: { ...count, description: 'Publications of the campaign that went live' },
    measuredPosts: { ...count, description: 'Of those, how many had their metrics read at least once' },
    totals: {
      type: 'object',
      description: 'Sum of each metric over the publications that report it; a metric none reports is absent',
      properties: Object.fromEntries(METRIC_NAMES.map((m) => [m, count])),
      additionalProperties: false,
    },
    engagements: { ...nullableCount, description: 'likes + comments + shares' },
    engagementRate: { ...nullableRate, description: 'Ratio of sums: all engagements over all impressions (views where a platform counts none) × 100' },
    meanEngagementRate: { ...nullableRate, description: 'Mean of the per-publication engagement rates' },
    lastSyncedAt: { ...timestamp, type: ['string', 'null'] },
    goals: { type: 'array', items: goalProgress },
  },
  required: ['campaignId', 'posts', 'measuredPosts', 'totals', 'engagements', 'engagementRate', 'meanEngagementRate', 'lastSyncedAt', 'goals'],
};

/** What a campaign's publications achieved, and how far along its goals are. */
export const campaignMetricsRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/campaigns/:campaignId/metrics',
    {
      config: { permission: PERMISSIONS.campaignsRead, rateLimit: 'read' },
      schema: {
        summary: "A campaign's published posts, metric totals, engagement and progress towards its goals",
        params: params('campaignId'),
        response: { 200: campaignMetrics, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => services(req).metrics.rollUp(req.ctx.db, (req.params as { campaignId: string }).campaignId),
  );
};
