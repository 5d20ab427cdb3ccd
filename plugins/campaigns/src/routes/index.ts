import type { FastifyPluginAsync } from 'fastify';
import { campaignRoutes } from './campaigns.js';
import { campaignMetricsRoutes } from './metrics.js';

/** Every route of the plugin, mounted by the kernel under `/v1/campaigns`. */
export const campaignsRoutes: FastifyPluginAsync = async (app) => {
  await app.register(campaignRoutes);
  await app.register(campaignMetricsRoutes);
};
