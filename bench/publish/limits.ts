import type { RateLimitDecision, RateLimiter, RateLimitPolicy } from '@markettina/sdk';

/** The declared per-account budget: `limit` publishes per `windowSeconds`, `burst` at once. */
export interface DeclaredLimit {
  limit: number;
  windowSeconds: number;
  burst: number;
}

export const intervalMs = (l: DeclaredLimit): number => (l.windowSeconds * 1000) / l.limit;

/**
 * The fastest the declared limit allows: every account spends its burst at the due
 * instant, then one publish per interval. The busiest account decides.
 */
export function idealMs(postsPerAccount: number[], l: DeclaredLimit): number {
  return Math.max(0, ...postsPerAccount.map((n) => Math.max(0, n - l.burst) * intervalMs(l)));
}

/**
 * The most arrivals a GCRA budget lets into any half-open window of `windowMs`: the burst
 * at its start, then one per interval.
 */
export const allowedInWindow = (l: DeclaredLimit, windowMs: number): number => l.burst + Math.ceil(windowMs / intervalMs(l)) - 1;

/** The same with `toleranceMs` of arrival jitter: arrivals in a window of `windowMs` that were metered within `windowMs + toleranceMs`. */
export const allowedWithJitter = (l: DeclaredLimit, windowMs: number, toleranceMs: number): number => allowedInWindow(l, windowMs + toleranceMs);

/** The most of the sorted instants `times` (ms) that fall in any half-open window `[t, t + windowMs)`. */
export function maxInWindow(times: number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/**
 * Replays arrivals through the declared budget: how many came more than `toleranceMs`
 * earlier than the budget allows, and the worst earliness (ms). Arrivals at the platform
 * can be closer together than the limiter's decisions were, since each request still
 * travels after it was metered.
 */
export function gcraReplay(times: number[], l: DeclaredLimit, toleranceMs = 0): { early: number; worstMs: number } {
  const step = intervalMs(l);
  let tat = -Infinity;
  let early = 0;
  let worstMs = 0;
  for (const t of times) {
    const next = Math.max(tat, t) + step;
    const by = next - step * l.burst - t;
    if (by > toleranceMs + 1e-6) early++;
    worstMs = Math.max(worstMs, by);
    tat = next;
  }
  return { early, worstMs };
}

/**
 * An in-memory limiter with the kernel's GCRA step (kernel/src/ratelimit/gcra.ts), for
 * the baseline that paces without a database.
 */
export class MemoryLimiter implements RateLimiter {
  private readonly tats = new Map<string, number>();

  async consume(key: { accountId: string; bucket: string }, policy: RateLimitPolicy, options: { cost?: number } = {}): Promise<RateLimitDecision> {
    const cost = options.cost ?? 1;
    const step = (policy.windowSeconds * 1000) / policy.limit;
    const burst = policy.burst ?? policy.limit;
    const id = `${key.accountId}\u0000${key.bucket}`;
    const now = Date.now();
    const base = Math.max(this.tats.get(id) ?? now, now);
    const next = base + step * cost;
    const allowed = next - step * burst <= now;
    if (allowed) this.tats.set(id, next);
    const tat = allowed ? next : base;
    return {
      allowed,
      remaining: allowed ? Math.max(0, Math.floor((now + step * burst - tat) / step + 1e-9)) : 0,
      resetMs: Math.max(0, Math.ceil(tat - now)),
      retryAfterMs: allowed ? 0 : Math.max(1, Math.ceil(tat + step * (cost - burst) - now)),
    };
  }
}
