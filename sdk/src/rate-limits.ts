/**
 * The kernel's rate limiter, as plugins see it. The kernel meters inbound routes with it
 * (route `config.rateLimit`); connectors meter their outbound calls to a platform with
 * the same limiter, so every node of a deployment shares one budget per connected account.
 */

/** A budget: `limit` units per `windowSeconds`, at most `burst` (default: `limit`) at once. */
export interface RateLimitPolicy {
  /** Shown to clients as the policy name in `RateLimit-Policy`; letters, digits, `-`, `_`, `.`. */
  name: string;
  limit: number;
  windowSeconds: number;
  burst?: number;
}

/** Whose budget is spent. Budgets belong to a tenant and are invisible to other tenants. */
export interface RateLimitKey {
  accountId: string;
  /** What is metered within the tenant, e.g. `outbound:mastodon:<connected account id>`. */
  bucket: string;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Units left right now (0 when refused). */
  remaining: number;
  /** When refused: how long until `cost` units are available again. 0 when allowed. */
  retryAfterMs: number;
  /** How long until the budget is full again. */
  resetMs: number;
}

export interface RateLimiter {
  /**
   * Spends `cost` (default 1) units of `key`'s budget if they are available. Runs outside
   * the caller's transaction: a call made to a platform stays counted even if the caller
   * later rolls back.
   */
  consume(key: RateLimitKey, policy: RateLimitPolicy, options?: { cost?: number }): Promise<RateLimitDecision>;
}

/** The budget of outbound calls to `platform` made on behalf of one connected account. */
export function outboundRateLimitKey(accountId: string, platform: string, connectedAccountId: string): RateLimitKey {
  return { accountId, bucket: `outbound:${platform}:${connectedAccountId}` };
}
