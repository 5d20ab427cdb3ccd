import type { GcraRule } from './gcra.js';

/** Outcome of one atomic GCRA step: whether it was allowed, the TAT left behind, and "now". */
export interface TakeResult {
  allowed: boolean;
  tatMs: number;
  nowMs: number;
}

/**
 * Where budgets live. Every implementation performs the GCRA step of `gcra.ts` atomically
 * per (account, bucket), with its own clock (the database clock for PostgreSQL, so nodes
 * with drifting clocks still agree).
 */
export interface RateLimitStore {
  take(accountId: string, bucket: string, rule: GcraRule, cost: number): Promise<TakeResult>;
  /** Forgets budgets that are full again (absent means full); returns how many. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}
