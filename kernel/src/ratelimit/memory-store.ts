import { step, type GcraRule } from './gcra.js';
import type { RateLimitStore, TakeResult } from './store.js';

/** Budgets are swept opportunistically once this many are held. */
const SWEEP_AT = 100_000;

/**
 * Single-node store: the same GCRA step on a Map. Correct only while one process serves
 * the deployment (`rateLimits.store: "memory"`); budgets restart empty on restart.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly tats = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  async take(accountId: string, bucket: string, rule: GcraRule, cost: number): Promise<TakeResult> {
    const key = `${accountId}\u0000${bucket}`;
    const now = this.clock();
    const result = step(this.tats.get(key), now, rule, cost);
    if (result.allowed) this.tats.set(key, result.tat);
    if (this.tats.size >= SWEEP_AT) this.sweepSync(now);
    return { allowed: result.allowed, tatMs: result.tat, nowMs: now };
  }

  async sweep(): Promise<number> {
    return this.sweepSync(this.clock());
  }

  async close(): Promise<void> {
    this.tats.clear();
  }

  private sweepSync(now: number): number {
    let removed = 0;
    for (const [key, tat] of this.tats) {
      if (tat <= now) {
        this.tats.delete(key);
        removed++;
      }
    }
    return removed;
  }
}
