import type { FastifyReply, FastifyRequest } from 'fastify';
import { identityInternals, type IdentityServices } from '../services/index.js';

/** The plugin's services, on public and tenant routes alike. */
export const services = (req: FastifyRequest): IdentityServices => req.services.get(identityInternals);

/** What the caller holds, for "nobody hands out more than they have" checks. */
export const held = (req: FastifyRequest): readonly string[] => req.principal?.permissions ?? [];

/**
 * A 204 answer, returned rather than sent: the kernel commits the request's transaction
 * before it sends what a handler returns, so a client never sees "done" before the change
 * is visible to its next request (on any node).
 */
export function noContentReply(reply: FastifyReply): null {
  reply.code(204);
  return null;
}
