import type { RetryPolicy } from '@markettina/sdk';

export const DEFAULT_RETRY: Required<RetryPolicy> = { baseDelayMs: 5_000, maxDelayMs: 60 * 60 * 1000 };

/** Up to this share of a delay is taken off at random, so jobs that failed together do not retry together. */
export const JITTER = 0.2;

/** Delay before the attempt after `attempt` (1-based): exponential, capped, with jitter. */
export function retryDelayMs(attempt: number, policy: RetryPolicy = {}, random: () => number = Math.random): number {
  const base = policy.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = policy.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const exponential = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 - JITTER * random()));
}

export type AfterFailure = { state: 'queued'; delayMs: number } | { state: 'dead' };

/** What becomes of a job whose attempt `attempt` failed. */
export function afterFailure(attempt: number, maxAttempts: number, policy?: RetryPolicy, random?: () => number): AfterFailure {
  return attempt >= maxAttempts ? { state: 'dead' } : { state: 'queued', delayMs: retryDelayMs(attempt, policy, random) };
}
