import type { FastifyPluginAsync } from 'fastify';

/** Every route of the plugin, mounted by the kernel under `/v1/content`. */
export const contentRoutes: FastifyPluginAsync = async () => {};
