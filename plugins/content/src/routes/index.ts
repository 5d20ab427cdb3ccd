import type { FastifyPluginAsync } from 'fastify';
import { postsRoutes } from './posts-routes.js';
import { mediaRoutes } from './media.js';

/** Every route of the plugin, mounted by the kernel under `/v1/content`. */
export const contentRoutes: FastifyPluginAsync = async (app) => {
  await app.register(postsRoutes);
  await app.register(mediaRoutes);
};
