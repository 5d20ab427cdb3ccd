import type { FastifyReply, FastifyRequest } from 'fastify';
import { problems } from '@markettina/sdk';
import { campaignsServices } from '@markettina/plugin-campaigns/contracts';
import { socialPublisher } from '@markettina/plugin-social/contracts';
import { contentSettings } from '../services/posts-settings.js';
import { postsInternals, type PostsServices } from '../services/posts-internals.js';
import type { PostsCaller } from '../services/posts.js';
import type { ScheduleCaller } from '../services/schedule.js';

/** The posts services. */
export const posts = (req: FastifyRequest): PostsServices => req.services.get(postsInternals);

/** The caller of a posts route: its transaction, tenant, principal and the optional campaigns directory. */
export function caller(req: FastifyRequest): PostsCaller {
  return { db: req.ctx.db, accountId: req.ctx.tenant.accountId, actorId: req.ctx.principal?.id ?? null, campaigns: req.ctx.get(campaignsServices.campaigns) };
}

/** The caller of a scheduling route: also the optional social publisher and the tenant's settings. */
export function scheduleCaller(req: FastifyRequest): ScheduleCaller {
  const c = caller(req);
  return { ...c, publisher: req.ctx.get(socialPublisher), settings: () => contentSettings(posts(req).accounts, c.db, c.accountId), now: new Date() };
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

/**
 * A 204 answer, returned rather than sent: the kernel commits the request's transaction
 * before it sends what a handler returns.
 */
export function noContentReply(reply: FastifyReply): null {
  reply.code(204);
  return null;
}

export const param = <K extends string>(req: FastifyRequest, name: K): string => (req.params as Record<K, string>)[name];
