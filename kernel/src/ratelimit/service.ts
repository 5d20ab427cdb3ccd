import type { RateLimitDecision, RateLimiter, RateLimitKey, RateLimitPolicy, TenantInfo } from '@markettina/sdk';
import { decide, ruleOf } from './gcra.js';
import { MemoryRateLimitStore } from './memory-store.js';
import { policyProblem, routePolicy, type RateLimitClasses } from './policies.js';
import { PostgresRateLimitStore } from './postgres-store.js';
import type { RateLimitStore } from './store.js';

export interface RateLimitConfig {
  /** `postgres`: shared by every node. `memory`: one process only. */
  store: 'postgres' | 'memory';
  /** Connections of the PostgreSQL store's own pool. */
  poolSize: number;
  classes: RateLimitClasses;
}

/** The kernel's limiter: route classes by plan tier for inbound calls, any policy for plugins. */
export class RateLimitService implements RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly classes: RateLimitClasses,
  ) {}

  hasClass(className: string): boolean {
    return Object.hasOwn(this.classes, className);
  }

  async consume(key: RateLimitKey, policy: RateLimitPolicy, options: { cost?: number } = {}): Promise<RateLimitDecision> {
    const cost = options.cost ?? 1;
    const problem = policyProblem(policy, cost);
    if (problem) throw new TypeError(`rate limit: ${problem}`);
    if (!key.bucket || key.bucket.length > 200) throw new TypeError('rate limit: bucket must be 1 to 200 characters');
    const rule = ruleOf(policy);
    const taken = await this.store.take(key.accountId, key.bucket, rule, cost);
    return decide(taken.allowed, taken.tatMs, taken.nowMs, rule, cost);
  }

  /** Spends one unit of the tenant's budget for a route class. */
  async consumeRoute(tenant: TenantInfo, className: string): Promise<{ policy: RateLimitPolicy; decision: RateLimitDecision }> {
    const policy = routePolicy(this.classes, className, tenant.planTier);
    if (!policy) throw new TypeError(`rate limit class "${className}" is not configured`);
    const decision = await this.consume({ accountId: tenant.accountId, bucket: `route:${className}` }, policy);
    return { policy, decision };
  }

  /** Forgets budgets that are full again; meant for a periodic cluster job. */
  sweep(): Promise<number> {
    return this.store.sweep();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

export function createRateLimitService(config: RateLimitConfig, appUrl: string): RateLimitService {
  const store = config.store === 'memory' ? new MemoryRateLimitStore() : new PostgresRateLimitStore(appUrl, config.poolSize);
  return new RateLimitService(store, config.classes);
}
