import type { FastifyPluginAsync } from 'fastify';
import { errors, principalOut } from './schemas.js';

/** Who am I: the principal the credential resolved to. */
export const meRoutes: FastifyPluginAsync = async (app) => {
  app.get('/me', { schema: { summary: 'The calling principal and its permissions', response: { 200: principalOut, ...errors(401, 403) } } }, async (req) => req.principal!);
};
