import { isConnectorError, isProblemError, RateLimited } from '@markettina/sdk';
import { nextSyncAt } from './metrics-cadence.js';

/**
 * What a failed metrics read means for the publication and its account:
 * - `wait`: the platform, or the account's outbound budget, said not now; every sync of the
 *   account is held back until then, none counts as failed;
 * - `maybe-deleted`: the platform answered 404; the post's status decides (a post may be
 *   gone, or the platform may just not have metrics for it yet);
 * - `account`: the account cannot make calls (credentials refused, not connected, its
 *   connector disabled): its syncs are held back for ACCOUNT_PAUSE_MS, none counts as
 *   failed, and an account that needs reconnecting is left out until it is reconnected;
 * - `retry`: anything else; tried again at the next point of the cadence.
 */
/** How long an account that cannot make calls is left alone before its syncs are tried again. */
export const ACCOUNT_PAUSE_MS = 15 * 60_000;

export type ReadFailure = { kind: 'wait'; retryAfterMs: number } | { kind: 'maybe-deleted' } | { kind: 'account'; reason: string } | { kind: 'retry'; reason: string };

export function classifyReadFailure(err: unknown): ReadFailure {
  if (isConnectorError(err)) {
    if (err instanceof RateLimited) return { kind: 'wait', retryAfterMs: err.retryAfterMs };
    if (err.kind === 'auth_expired' || err.kind === 'reconnect_required') return { kind: 'account', reason: err.message };
    if (err.kind === 'content_rejected' && err.status === 404) return { kind: 'maybe-deleted' };
    return { kind: 'retry', reason: err.message };
  }
  if (isProblemError(err)) return { kind: 'account', reason: err.message };
  return { kind: 'retry', reason: err instanceof Error ? err.message : String(err) };
}

/** A missed sync moves to the next point of the cadence (or stops, past its horizon). */
export function afterMiss(publishedAt: Date, at: Date): { state: 'active' | 'finished'; nextSyncAt: Date | null } {
  const next = nextSyncAt(publishedAt, at);
  return next ? { state: 'active', nextSyncAt: next } : { state: 'finished', nextSyncAt: null };
}

/**
 * Takes from each list in turn (the first of every list, then the second of every list...)
 * until `limit` are taken, so one tenant's backlog never crowds the others out of a run.
 */
export function takeInTurns<T>(lists: readonly (readonly T[])[], limit: number): T[] {
  const out: T[] = [];
  for (let turn = 0; out.length < limit; turn++) {
    let any = false;
    for (const list of lists) {
      if (turn >= list.length) continue;
      any = true;
      out.push(list[turn]!);
      if (out.length === limit) break;
    }
    if (!any) break;
  }
  return out;
}

/** Groups items by a key, keeping the order in which keys first appear and items within a key. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}
