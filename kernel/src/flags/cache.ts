import type { PlanTier } from '@markettina/sdk';
import type { FlagOverride } from './evaluate.js';

export interface TenantFlags {
  overrides: Map<string, FlagOverride>;
  /** Known when the tenant was looked up by the service itself. */
  planTier?: PlanTier;
}

/**
 * Per-node cache of each tenant's overrides. NOTIFY invalidates entries at once; the TTL
 * only bounds staleness if a notification is ever missed. A load that started before an
 * invalidation is not stored (the epoch check), so a slow read cannot resurrect old data.
 */
export class TenantFlagCache {
  private readonly entries = new Map<string, { value: TenantFlags; expires: number }>();
  private generation = 0;

  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Take this before loading; hand it to `set` with the result. */
  get epoch(): number {
    return this.generation;
  }

  get(accountId: string): TenantFlags | undefined {
    const entry = this.entries.get(accountId);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(accountId);
      return undefined;
    }
    return entry.value;
  }

  set(accountId: string, value: TenantFlags, epoch: number): void {
    if (epoch !== this.generation) return;
    this.entries.delete(accountId);
    // Maps iterate in insertion order: the first key is the least recently loaded.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(accountId, { value, expires: this.now() + this.ttlMs });
  }

  invalidate(accountId: string): void {
    this.generation++;
    this.entries.delete(accountId);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
