import type { FastifyRequest } from 'fastify';
import { hasPermission, ProblemError } from '@markettina/sdk';
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
