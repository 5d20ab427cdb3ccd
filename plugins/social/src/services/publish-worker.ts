import type { PublicationStatus } from '../contracts.js';
import type { SocialRuntime } from '../runtime.js';
import { runClaim, type Claim, type ClaimResult } from './publishing.js';

let claims = 0;

/**
 * Leases up to `limit` due publications of every tenant (SKIP LOCKED inside the definer
 * function, so nodes claiming at once each get different rows). Each call gets its own
 * lease owner, so even this node's own later claim of a row fences an earlier one.
 */
export async function claimDue(rt: SocialRuntime, limit: number): Promise<Claim[]> {
  const owner = `${rt.nodeId}#${++claims}`;
  const { rows } = await rt.tenancy.withoutTenant((trx) => trx.raw<{ rows: { account_id: string; id: string; claimed_from: PublicationStatus }[] }>('select * from social_claim_publications(?, ?, ?)', [
    owner,
    limit,
    Math.round(rt.config.publishing.leaseSeconds * 1000),
  ]));
  return rows.map((r) => ({ accountId: r.account_id, id: r.id, claimedFrom: r.claimed_from, owner }));
}

export interface DrainOptions {
  /** Stop claiming after this long (what is in hand still finishes), so a tick ends and a node can stop. */
  budgetMs: number;
  /** Called with each publication's result, e.g. by tests and benchmarks. */
  onResult?(claim: Claim, result: ClaimResult): void;
}

/**
 * Publishes due publications until none is due or the budget is spent, at most
 * `publishing.concurrency` at a time; claims again as slots free up. Returns how many it
 * handled. A failing publication is logged and left to its lease.
 */
export async function drainDue(rt: SocialRuntime, options: DrainOptions): Promise<number> {
  const { concurrency, batchSize } = rt.config.publishing;
  const deadline = Date.now() + options.budgetMs;
  const active = new Set<Promise<void>>();
  let handled = 0;
  for (;;) {
    const free = concurrency - active.size;
    const claimed = free > 0 && Date.now() < deadline ? await claimDue(rt, Math.min(free, batchSize)) : [];
    for (const claim of claimed) {
      const run = runClaim(rt, claim)
        .then((result) => options.onResult?.(claim, result))
        .catch((err: unknown) => rt.logger.error({ err, publication: claim.id }, 'a publication could not be recorded; its lease will run out'))
        .finally(() => {
          handled++;
          active.delete(run);
        });
      active.add(run);
    }
    if (active.size === 0 && claimed.length === 0) return handled;
    // Full, or nothing more due right now: wait for a slot before claiming again.
    if (claimed.length === 0 || active.size >= concurrency) await Promise.race(active);
  }
}
