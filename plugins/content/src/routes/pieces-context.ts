import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasPermission, ProblemError, uuid, type JsonSchema } from '@markettina/sdk';
import { campaignsServices } from '@markettina/plugin-campaigns/contracts';
import { piecesInternals, type PiecesServices } from '../services/pieces-services.js';
import type { WriteContext } from '../services/pieces.js';

/** The templates and pieces services. */
export const services = (req: FastifyRequest): PiecesServices => req.services.get(piecesInternals);

/** Who writes and where, with the campaigns directory when the campaigns plugin is installed. */
export const writeContext = (req: FastifyRequest): WriteContext => ({
  accountId: req.ctx.tenant.accountId,
  principalId: req.ctx.principal?.id ?? null,
  campaigns: req.ctx.get(campaignsServices.campaigns),
});

/** A second permission a route needs for some requests only (the kernel checks the route's own). */
export function requirePermission(req: FastifyRequest, permission: string): void {
  if (!hasPermission(req.ctx.principal?.permissions ?? [], permission)) {
    throw new ProblemError({ status: 403, code: 'PERMISSION_DENIED', title: 'Forbidden', detail: `this call needs the "${permission}" permission`, extensions: { permission } });
  }
}

/**
 * A 204 answer, returned rather than sent: the kernel commits the request's transaction
 * before it sends what a handler returns.
 */
export function noContentReply(reply: FastifyReply): null {
  reply.code(204);
  return null;
}

/** Response schemas of the problems a route can answer; every route lists its own. */
export const problem = { $ref: 'Problem#' } as const;
export const errors = (...statuses: number[]): Record<number, typeof problem> => Object.fromEntries(statuses.map((s) => [s, problem]));

export const params = (...names: string[]): JsonSchema => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, uuid])),
  required: names,
  additionalProperties: false,
});

export const noContent = { 204: { type: 'null', description: 'Done' } } as const;

/** A platform id as connectors name themselves, e.g. `mastodon`, `x`. */
export const platform = { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$', maxLength: 40, description: 'A platform id, e.g. mastodon or x' } as const;
