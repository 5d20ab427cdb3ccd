import type { PublicationStatus } from '../contracts.js';

/**
 * The rules of a publication's life, without I/O: which moves are allowed, when to try
 * again, and what each outcome of a platform call does to it.
 */

const MOVES: Record<PublicationStatus, readonly PublicationStatus[]> = {
  scheduled: ['publishing', 'cancelled', 'failed'],
  // A publishing row may be taken over by another node once its lease runs out.
  publishing: ['published', 'pending', 'retrying', 'failed', 'unconfirmed', 'publishing'],
  pending: ['published', 'pending', 'failed', 'unconfirmed'],
  retrying: ['publishing', 'cancelled', 'failed', 'unconfirmed'],
  published: [],
  failed: [],
  unconfirmed: [],
  cancelled: [],
};

export const canMove = (from: PublicationStatus, to: PublicationStatus): boolean => MOVES[from].includes(to);

export const isTerminal = (status: PublicationStatus): boolean => MOVES[status].length === 0;

/** Only a publication nobody has tried yet may move in time. */
export const canReschedule = (p: { status: PublicationStatus }): boolean => p.status === 'scheduled';

/**
 * A publication may be withdrawn until a node claims it, unless an earlier attempt may
 * have published it: cancelling then would hide a post that could be live.
 */
export const canCancel = (p: { status: PublicationStatus; outcomeUnknown: boolean }): boolean =>
  canMove(p.status, 'cancelled') && !p.outcomeUnknown;

export interface PublishingPolicy {
  /** Attempts (platform calls that were not refused by a rate limit) before giving up. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** How late a publication may still go out; later it fails with TOO_LATE. */
  maxLatenessMs: number;
  /** How long a publish may stay pending on the platform before it counts as unconfirmed. */
  pendingTimeoutMs: number;
  /** Bounds on the wait between two polls of a pending publish. */
  pollMinMs: number;
  pollMaxMs: number;
}

/** Up to this share of a delay is added at random, so rows that failed together do not return together. */
export const JITTER = 0.2;

/** Delay after failed attempt `attempt` (1-based): exponential, capped, with jitter. */
export function retryDelayMs(attempt: number, policy: Pick<PublishingPolicy, 'retryBaseMs' | 'retryMaxMs'>, random: () => number = Math.random): number {
  const exponential = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 - JITTER * random()));
}

/** What a claimed row is up for: its first or next try, a take-over after a lost lease, or a poll. */
export type ClaimKind = 'publish' | 'recover' | 'poll';

export function claimKind(claimedFrom: PublicationStatus): ClaimKind {
  if (claimedFrom === 'pending') return 'poll';
  if (claimedFrom === 'publishing') return 'recover';
  if (claimedFrom === 'scheduled' || claimedFrom === 'retrying') return 'publish';
  throw new Error(`a ${claimedFrom} publication is never claimed`);
}

/** What the pipeline knows of a row when it decides. */
export interface PublicationState {
  dueAt: Date;
  /** Including the attempt under way. */
  attempts: number;
  outcomeUnknown: boolean;
  pendingSince: Date | null;
}

/**
 * What happened to one platform call (or why none was made), in the pipeline's terms.
 * `refused`: the host itself will not publish it (account not connected, draft no longer
 * valid, media gone); nothing reached the platform.
 */
export type CallOutcome =
  | { kind: 'published'; externalId: string; url: string | null; parts: { externalId: string; url?: string }[] }
  | { kind: 'pending'; ref: string; retryAfterMs: number }
  | { kind: 'rejected'; code: string; reason: string }
  | { kind: 'deleted' }
  /**
   * `spacingMs` (the kernel's own budget refused it): how far apart the account's calls
   * must be, so publications held back together line up instead of all waking at once.
   */
  | { kind: 'rate_limited'; retryAfterMs: number; spacingMs?: number }
  | { kind: 'transient'; reason: string }
  | { kind: 'reconnect_required'; reason: string }
  | { kind: 'unknown'; reason: string }
  | { kind: 'refused'; code: string; reason: string };

export type PublicationEvent = 'published' | 'failed' | 'unconfirmed';

/** The change one decision makes; the store writes it with a compare-and-set on the lease. */
export interface Change {
  status: PublicationStatus;
  /** When the claim should look at the row again; null for terminal states. */
  nextAttemptInMs: number | null;
  /** -1 gives back the attempt the claim counted (a rate limit is not a failed attempt). */
  attemptsDelta: 0 | -1;
  outcomeUnknown: boolean;
  /** Go after the account's other publications held back by its budget, `spacingMs` behind the last. */
  lineUp?: { spacingMs: number };
  published?: { externalId: string; url: string | null; parts: { externalId: string; url?: string }[] };
  pending?: { ref: string; startsNow: boolean };
  /** Why it failed, or, while retrying, why the last attempt did. */
  failure?: { code: string; reason: string };
  event?: PublicationEvent;
}

/** The failure code a publication held back by a rate limit carries while it waits. */
export const RATE_LIMITED = 'RATE_LIMITED';

const terminal = (status: 'failed' | 'unconfirmed', code: string, reason: string, outcomeUnknown: boolean): Change => ({
  status,
  nextAttemptInMs: null,
  attemptsDelta: 0,
  outcomeUnknown,
  failure: { code, reason },
  event: status,
});

/** A definite failure, unless an earlier attempt may have published it: then nobody can say. */
const giveUp = (s: PublicationState, code: string, reason: string): Change =>
  s.outcomeUnknown ? terminal('unconfirmed', 'OUTCOME_UNKNOWN', `${reason}; an earlier attempt may have published it`, true) : terminal('failed', code, reason, false);

/** A row taken over after a lost lease may have been published by the call that was under way. */
const asClaimed = (kind: ClaimKind, s: PublicationState): PublicationState => (kind === 'recover' ? { ...s, outcomeUnknown: true } : s);

/**
 * Before any call: a row claimed far past its due time gives up, and a row whose last call
 * ended without an answer is retried only where the platform dedupes by idempotency key.
 * Returns undefined when the call should go ahead.
 */
export function beforeCall(kind: ClaimKind, state: PublicationState, idempotency: 'platform' | 'none', policy: PublishingPolicy, now: Date): Change | undefined {
  if (kind === 'poll') return undefined;
  const s = asClaimed(kind, state);
  if (kind === 'recover' && idempotency === 'none') {
    return terminal('unconfirmed', 'OUTCOME_UNKNOWN', 'publishing stopped midway (the node handling it went away) and the platform cannot be asked safely', true);
  }
  // Only take-overs get here past the last attempt: nodes that keep dying on this publication.
  if (s.attempts > policy.maxAttempts) return giveUp(s, 'RETRIES_EXHAUSTED', `${s.attempts - 1} attempts never finished`);
  if (now.getTime() - s.dueAt.getTime() > policy.maxLatenessMs) {
    return giveUp(s, 'TOO_LATE', `it was due at ${s.dueAt.toISOString()}, more than ${Math.round(policy.maxLatenessMs / 60_000)} minutes ago`);
  }
  return undefined;
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

function afterPoll(s: PublicationState, o: CallOutcome, policy: PublishingPolicy, now: Date): Change {
  if (o.kind === 'published') return { status: 'published', nextAttemptInMs: null, attemptsDelta: 0, outcomeUnknown: false, published: o, event: 'published' };
  if (o.kind === 'rejected') return terminal('failed', o.code, o.reason, false);
  if (o.kind === 'deleted') return terminal('failed', 'POST_DELETED', 'the platform removed the post before it went live', false);
  const waited = s.pendingSince ? now.getTime() - s.pendingSince.getTime() : 0;
  if (waited > policy.pendingTimeoutMs) {
    return terminal('unconfirmed', 'PENDING_TIMEOUT', `the platform accepted it but did not put it live within ${Math.round(policy.pendingTimeoutMs / 60_000)} minutes`, true);
  }
  if (o.kind === 'reconnect_required') {
    return terminal('unconfirmed', 'RECONNECT_REQUIRED', `the platform accepted it, but the account must be reconnected to learn whether it went live: ${o.reason}`, true);
  }
  // Still pending, or the platform could not be asked this time: ask again later.
  const wait = o.kind === 'pending' || o.kind === 'rate_limited' ? o.retryAfterMs : policy.pollMinMs;
  return { status: 'pending', nextAttemptInMs: clamp(wait, policy.pollMinMs, policy.pollMaxMs), attemptsDelta: 0, outcomeUnknown: false, ...(o.kind === 'pending' ? { pending: { ref: o.ref, startsNow: false } } : {}) };
}

/** What an outcome of a publish (or a take-over) does to the row. */
export function afterCall(kind: ClaimKind, state: PublicationState, o: CallOutcome, idempotency: 'platform' | 'none', policy: PublishingPolicy, now: Date, random: () => number = Math.random): Change {
  if (kind === 'poll') return afterPoll(state, o, policy, now);
  const s = asClaimed(kind, state);
  switch (o.kind) {
    case 'published':
      return { status: 'published', nextAttemptInMs: null, attemptsDelta: 0, outcomeUnknown: false, published: o, event: 'published' };
    case 'pending':
      return { status: 'pending', nextAttemptInMs: clamp(o.retryAfterMs, policy.pollMinMs, policy.pollMaxMs), attemptsDelta: 0, outcomeUnknown: false, pending: { ref: o.ref, startsNow: true } };
    case 'rejected':
      // With the same key a platform that dedupes would have answered with the earlier post.
      return terminal('failed', o.code, o.reason, false);
    case 'deleted':
      return terminal('failed', 'POST_DELETED', 'the platform removed the post', false);
    case 'refused':
      return giveUp(s, o.code, o.reason);
    case 'reconnect_required':
      return giveUp(s, 'RECONNECT_REQUIRED', o.reason);
    case 'rate_limited':
      return {
        status: 'retrying',
        nextAttemptInMs: Math.round(o.retryAfterMs * (1 + JITTER * random())),
        attemptsDelta: -1,
        outcomeUnknown: s.outcomeUnknown,
        failure: { code: RATE_LIMITED, reason: `rate limited; retry after ${Math.ceil(o.retryAfterMs / 1000)} s` },
        ...(o.spacingMs !== undefined ? { lineUp: { spacingMs: Math.max(o.spacingMs, o.retryAfterMs) } } : {}),
      };
    case 'transient':
      if (s.attempts >= policy.maxAttempts) return giveUp(s, 'RETRIES_EXHAUSTED', `${s.attempts} attempts failed; the last: ${o.reason}`);
      return { status: 'retrying', nextAttemptInMs: retryDelayMs(s.attempts, policy, random), attemptsDelta: 0, outcomeUnknown: s.outcomeUnknown, failure: { code: 'PLATFORM_UNAVAILABLE', reason: o.reason } };
    case 'unknown':
      if (idempotency === 'none') return terminal('unconfirmed', 'OUTCOME_UNKNOWN', `${o.reason}; the platform cannot be asked safely`, true);
      // Publishing again with the same key settles it: the platform answers with the post if it exists.
      if (s.attempts >= policy.maxAttempts) return terminal('unconfirmed', 'OUTCOME_UNKNOWN', `${s.attempts} attempts ended without a definite answer; the last: ${o.reason}`, true);
      return { status: 'retrying', nextAttemptInMs: retryDelayMs(s.attempts, policy, random), attemptsDelta: 0, outcomeUnknown: true, failure: { code: 'OUTCOME_UNKNOWN', reason: o.reason } };
  }
}
