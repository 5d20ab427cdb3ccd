import type { FastifyReply, FastifyRequest } from 'fastify';
import { campaignsInternals, type CampaignsServices } from '../services/index.js';

/** The plugin's services. */
export const services = (req: FastifyRequest): CampaignsServices => req.services.get(campaignsInternals);

/**
 * A 204 answer, returned rather than sent: the kernel commits the request's transaction
 * before it sends what a handler returns, so a client never sees "done" before the change
 * is visible to its next request (on any node).
 */
export function noContentReply(reply: FastifyReply): null {
  reply.code(204);
  return null;
}
