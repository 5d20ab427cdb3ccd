import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasPermission, ProblemError, problems, type PageRequest } from '@markettina/sdk';
import { campaignsServices } from '@markettina/plugin-campaigns/contracts';
import { socialPublisher } from '@markettina/plugin-social/contracts';
import { PERMISSIONS } from '../contracts.js';
import type { ContentCaller } from '../services/caller.js';
import { contentInternals, type ContentServices } from '../services/index.js';
import type { ScheduleCaller } from '../services/schedule.js';
import { contentSettings } from '../services/settings.js';

/** The plugin's services. */
export const services = (req: FastifyRequest): ContentServices => req.services.get(contentInternals);

/** The caller of a route: its transaction, tenant, principal, the optional campaigns directory and the tenant's settings. */
export function caller(req: FastifyRequest): ContentCaller {
  const { db, tenant } = req.ctx;
  return {
    db,
    accountId: tenant.accountId,
    actorId: req.ctx.principal?.id ?? null,
    campaigns: req.ctx.get(campaignsServices.campaigns),
    settings: () => contentSettings(services(req).accounts, db, tenant.accountId),
  };
}

/** The caller of a scheduling route: also the optional social publisher and the time of the request. */
export const scheduleCaller = (req: FastifyRequest): ScheduleCaller => ({ ...caller(req), publisher: req.ctx.get(socialPublisher), now: new Date() });

const reads = (permission: string) => ({ permission, rateLimit: 'read' }) as const;
const writes = (permission: string) => ({ permission, rateLimit: 'write', idempotency: 'optional' }) as const;

/** Route policies: the permission the kernel checks, the rate limit, and replay of retried writes by Idempotency-Key. */
export const policy = {
  postsRead: reads(PERMISSIONS.postsRead),
  postsWrite: writes(PERMISSIONS.postsWrite),
  postsReview: writes(PERMISSIONS.postsApprove),
  postsSchedule: writes(PERMISSIONS.postsSchedule),
  templatesRead: reads(PERMISSIONS.templatesRead),
  templatesWrite: writes(PERMISSIONS.templatesWrite),
  mediaRead: reads(PERMISSIONS.mediaRead),
  mediaWrite: writes(PERMISSIONS.mediaWrite),
  piecesRead: reads(PERMISSIONS.piecesRead),
  piecesWrite: writes(PERMISSIONS.piecesWrite),
};

/** A path parameter, as the route's params schema checked it. */
export const param = <K extends string>(req: FastifyRequest, name: K): string => (req.params as Record<K, string>)[name];

/** A listing's query string: its filters, and the page asked for. */
export function listing<F>(req: FastifyRequest): { filter: F; page: PageRequest } {
  const { limit, cursor, ...filter } = req.query as PageRequest & F;
  return { filter: filter as F, page: { limit, ...(cursor ? { cursor } : {}) } };
}

/** A second permission a route needs for some requests only (the kernel checks the route's own). */
export function requirePermission(req: FastifyRequest, permission: string): void {
  if (!hasPermission(req.ctx.principal?.permissions ?? [], permission)) {
    throw new ProblemError({ status: 403, code: 'PERMISSION_DENIED', title: 'Forbidden', detail: `this call needs the "${permission}" permission`, extensions: { permission } });
  }
}

/**
 * A 204 answer, returned rather than sent: the kernel commits the request's transaction
 * before it sends what a handler returns, so a client never sees "done" before the change
 * is visible to its next request (on any node).
 */
export function noContentReply(reply: FastifyReply): null {
  reply.code(204);
  return null;
}

const ENTITY_TAG = /^"(\d{1,9})"$/;

/**
 * The version an `If-Match` header pins (`"3"`, as the ETag of a post says), or undefined
 * without one (or with `*`). A write with a stale tag is refused with 412.
 */
export function expectedVersion(req: FastifyRequest): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  if (value === '*') return undefined;
  const m = ENTITY_TAG.exec(value);
  if (!m) throw problems.badRequest('IF_MATCH_INVALID', 'If-Match must be one entity tag as a post\'s ETag gives it, e.g. "3"');
  return Number(m[1]);
}

/** Returns `post`, with its version as the ETag a later If-Match names. */
export function tagged<T extends { version: number }>(reply: FastifyReply, post: T): T {
  reply.header('etag', `"${post.version}"`);
  return post;
}
