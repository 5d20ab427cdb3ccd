import type { FastifyPluginAsync } from 'fastify';
import { postsRoutes } from './posts-routes.js';
import { mediaRoutes } from './media.js';
import { pieceRoutes } from './pieces.js';
import { templateRoutes } from './templates.js';
import { textMetricsRoutes } from './text-metrics.js';

/** Every route of the plugin, mounted by the kernel under `/v1/content`. */
export const contentRoutes: FastifyPluginAsync = async (app) => {
  await app.register(postsRoutes);
  await app.register(mediaRoutes);
  await app.register(templateRoutes);
  await app.register(pieceRoutes);
  await app.register(textMetricsRoutes);
};
