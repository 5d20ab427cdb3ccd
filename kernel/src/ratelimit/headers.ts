import type { RateLimitDecision, RateLimitPolicy } from '@markettina/sdk';

/**
 * The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers-11, Structured Field
 * lists): `RateLimit-Policy: "write";q=20;w=60` states the quota `q` per window of `w`
 * seconds; `RateLimit: "write";r=3;t=42` the units remaining and the seconds until the
 * quota is whole again. Policy names are restricted so they never need escaping.
 */
export function rateLimitHeaders(policy: RateLimitPolicy, decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'ratelimit-policy': `"${policy.name}";q=${policy.limit};w=${policy.windowSeconds}`,
    ratelimit: `"${policy.name}";r=${decision.remaining};t=${Math.ceil(decision.resetMs / 1000)}`,
  };
  if (!decision.allowed) headers['retry-after'] = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
  return headers;
}
