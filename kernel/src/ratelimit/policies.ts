import { PLAN_TIERS, type PlanTier, type RateLimitPolicy } from '@markettina/sdk';

/** A class's budget for one plan tier, as written in the deployment configuration. */
export interface TierLimit {
  limit: number;
  windowSeconds: number;
  burst?: number;
}

/** `rateLimits.classes` of the deployment configuration: class -> plan tier -> budget. */
export type RateLimitClasses = Record<string, Record<PlanTier, TierLimit>>;

export const POLICY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The policy of route class `className` for a tenant on `tier`; undefined for an unknown class. */
export function routePolicy(classes: RateLimitClasses, className: string, tier: PlanTier): RateLimitPolicy | undefined {
  const limits = Object.hasOwn(classes, className) ? classes[className] : undefined;
  const tierLimit = limits?.[tier] ?? limits?.[PLAN_TIERS[0]!];
  return tierLimit && { name: className, ...tierLimit };
}

/** Why `policy` cannot be enforced, or undefined when it can. */
export function policyProblem(policy: RateLimitPolicy, cost: number): string | undefined {
  if (!POLICY_NAME.test(policy.name)) return `policy name "${policy.name}" must match ${POLICY_NAME}`;
  if (!Number.isInteger(policy.limit) || policy.limit < 1) return `policy "${policy.name}": limit must be a positive integer`;
  if (!Number.isInteger(policy.windowSeconds) || policy.windowSeconds < 1) return `policy "${policy.name}": windowSeconds must be a positive integer`;
  const burst = policy.burst ?? policy.limit;
  if (!Number.isInteger(burst) || burst < 1) return `policy "${policy.name}": burst must be a positive integer`;
  if (!Number.isInteger(cost) || cost < 1 || cost > burst) return `policy "${policy.name}": cost ${cost} must be an integer between 1 and the burst ${burst}`;
  return undefined;
}
