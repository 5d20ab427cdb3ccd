import type { RateLimitDecision, RateLimitPolicy } from '@markettina/sdk';

/**
 * GCRA (generic cell rate algorithm): the whole state of a budget is one instant, the
 * theoretical arrival time (TAT) at which the budget would be full again. A request of
 * `cost` units moves the TAT `cost` emission intervals forward, and is allowed as long as
 * the TAT stays within `burst` intervals of now. The PostgreSQL store computes the same
 * step in SQL; both report through `decide`.
 */
export interface GcraRule {
  /** Milliseconds per unit: window / limit. */
  intervalMs: number;
  /** Units that may be spent at once. */
  burst: number;
}

export function ruleOf(policy: RateLimitPolicy): GcraRule {
  return { intervalMs: (policy.windowSeconds * 1000) / policy.limit, burst: policy.burst ?? policy.limit };
}

/** One GCRA step. `tat` is the stored TAT (undefined: a full budget), all times in ms. */
export function step(tat: number | undefined, now: number, rule: GcraRule, cost: number): { allowed: boolean; tat: number } {
  const base = Math.max(tat ?? now, now);
  const next = base + rule.intervalMs * cost;
  const allowed = next - rule.intervalMs * rule.burst <= now;
  return { allowed, tat: allowed ? next : base };
}

/** What a step means to the caller, from its outcome and the TAT it left behind. */
export function decide(allowed: boolean, tat: number, now: number, rule: GcraRule, cost: number): RateLimitDecision {
  const resetMs = Math.max(0, Math.ceil(tat - now));
  if (!allowed) {
    return { allowed, remaining: 0, resetMs, retryAfterMs: Math.max(1, Math.ceil(tat + rule.intervalMs * (cost - rule.burst) - now)) };
  }
  // A tiny epsilon keeps float noise (e.g. 2999.9999) from hiding a whole unit.
  const remaining = Math.max(0, Math.floor((now + rule.intervalMs * rule.burst - tat) / rule.intervalMs + 1e-9));
  return { allowed, remaining, resetMs, retryAfterMs: 0 };
}
