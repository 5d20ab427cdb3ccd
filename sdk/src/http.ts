import type { RequestContext } from './core-services.js';
import type { Principal } from './context.js';
import type { ServiceContext } from './plugin.js';

/** Kernel policy a route declares in its `config`; the kernel enforces it. */
export interface RoutePolicy {
  /** Permission the principal needs, e.g. `campaigns.campaigns:read`. */
  permission?: string;
  /** `required` (default): 401 without a credential. `none`: public route, no tenant transaction. */
  auth?: 'required' | 'none';
  /**
   * Rate-limit class of the route (`read`, `write`, `expensive`, ...): one budget per tenant
   * and class, sized by the tenant's plan tier in the deployment's `rateLimits.classes`.
   */
  rateLimit?: string;
  /**
   * Whether the route takes an `Idempotency-Key` (unsafe methods only). With a key, the
   * handler runs at most once per tenant, principal and key, and must return its payload
   * (not call `reply.send`) so the kernel can store it in the request's transaction.
   */
  idempotency?: 'required' | 'optional';
}

declare module 'fastify' {
  interface FastifyContextConfig extends RoutePolicy {}
  interface FastifyRequest {
    /** Present on authenticated tenant routes. */
    ctx: RequestContext;
    principal: Principal | undefined;
    /**
     * The route owner's plugin context (config, logger, the services it declared), on every
     * plugin route; on public routes (`auth: 'none'`), where there is no `ctx`, it is how a
     * handler reaches its services. Request-scoped services need `ctx`.
     */
    services: ServiceContext;
  }
}

export {};
