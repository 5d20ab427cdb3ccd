import type { FastifyReply } from 'fastify';
import { ProblemError, type TenantInfo } from '@markettina/sdk';
import { rateLimitHeaders } from './headers.js';
import type { RateLimitService } from './service.js';

/**
 * Meters one request of a route declaring `config.rateLimit`. Allowed: the RateLimit
 * fields go on the response. Refused: 429 problem+json with the fields and Retry-After.
 */
export async function enforceRouteLimit(limits: RateLimitService, reply: FastifyReply, tenant: TenantInfo, className: string): Promise<void> {
  const { policy, decision } = await limits.consumeRoute(tenant, className);
  const headers = rateLimitHeaders(policy, decision);
  if (decision.allowed) {
    reply.headers(headers);
    return;
  }
  throw new ProblemError({
    status: 429,
    code: 'RATE_LIMITED',
    title: 'Too many requests',
    detail: `the "${policy.name}" budget of this account (${policy.limit} per ${policy.windowSeconds} s) is spent; retry after ${headers['retry-after']} s`,
    extensions: { policy: policy.name, retryAfterSeconds: Number(headers['retry-after']) },
    headers,
  });
}
