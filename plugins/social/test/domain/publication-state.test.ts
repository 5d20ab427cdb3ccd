import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PUBLICATION_STATUSES } from '../../src/contracts.js';
import { afterCall, beforeCall, canCancel, canMove, canReschedule, claimKind, isTerminal, retryDelayMs, type CallOutcome, type PublicationState, type PublishingPolicy } from '../../src/domain/publication-state.js';

const policy: PublishingPolicy = {
  maxAttempts: 3,
  retryBaseMs: 1_000,
  retryMaxMs: 10_000,
  maxLatenessMs: 86_400_000,
  pendingTimeoutMs: 3_600_000,
  pollMinMs: 1_000,
  pollMaxMs: 60_000,
};
const now = new Date('2026-03-29T10:00:00Z');
const state = (over: Partial<PublicationState> = {}): PublicationState => ({ dueAt: new Date(now.getTime() - 60_000), attempts: 1, outcomeUnknown: false, pendingSince: null, ...over });
const noJitter = () => 0;

describe('publication state', () => {
  test('terminal states go nowhere; cancel and reschedule only before a claim', () => {
    for (const s of ['published', 'failed', 'unconfirmed', 'cancelled'] as const) {
      assert.ok(isTerminal(s));
      for (const to of PUBLICATION_STATUSES) assert.equal(canMove(s, to), false, `${s} → ${to}`);
    }
    assert.ok(canMove('scheduled', 'publishing'));
    assert.ok(canMove('publishing', 'publishing'), 'a lost lease is taken over');
    assert.equal(canMove('pending', 'retrying'), false, 'an accepted publish is never sent again');
    assert.ok(canReschedule({ status: 'scheduled' }));
    assert.equal(canReschedule({ status: 'retrying' }), false);
    assert.ok(canCancel({ status: 'retrying', outcomeUnknown: false }));
    assert.equal(canCancel({ status: 'retrying', outcomeUnknown: true }), false);
    assert.equal(canCancel({ status: 'publishing', outcomeUnknown: false }), false);
    assert.deepEqual((['scheduled', 'retrying', 'publishing', 'pending'] as const).map(claimKind), ['publish', 'publish', 'recover', 'poll']);
  });

  test('retries back off exponentially, capped, with at most 20% jitter off', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, policy, noJitter)), [1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    assert.equal(retryDelayMs(2, policy, () => 1), 1_600);
  });

  test('a publication far past its due time is not published', () => {
    const late = state({ dueAt: new Date(now.getTime() - policy.maxLatenessMs - 1) });
    assert.equal(beforeCall('publish', state(), 'none', policy, now), undefined);
    const change = beforeCall('publish', late, 'none', policy, now)!;
    assert.equal(change.status, 'failed');
    assert.equal(change.failure?.code, 'TOO_LATE');
    assert.equal(change.event, 'failed');
    assert.equal(beforeCall('publish', { ...late, outcomeUnknown: true }, 'platform', policy, now)!.status, 'unconfirmed', 'it may already be live');
    assert.equal(beforeCall('poll', late, 'none', policy, now), undefined, 'an accepted publish is followed whatever the time');
  });

  test('a lost lease is settled by publishing again only where the platform dedupes', () => {
    const none = beforeCall('recover', state(), 'none', policy, now)!;
    assert.equal(none.status, 'unconfirmed');
    assert.equal(none.event, 'unconfirmed');
    assert.equal(beforeCall('recover', state(), 'platform', policy, now), undefined);
    const retry = afterCall('recover', state(), { kind: 'transient', reason: '503' }, 'platform', policy, now, noJitter);
    assert.equal(retry.status, 'retrying');
    assert.equal(retry.outcomeUnknown, true, 'the take-over remembers the post may exist');
    const exhausted = afterCall('recover', state({ attempts: 3 }), { kind: 'transient', reason: '503' }, 'platform', policy, now, noJitter);
    assert.equal(exhausted.status, 'unconfirmed');
    const crashLoop = beforeCall('recover', state({ attempts: policy.maxAttempts + 1 }), 'platform', policy, now)!;
    assert.equal(crashLoop.status, 'unconfirmed', 'nodes that keep dying on it do not retry it forever');
  });

  test('what each publish outcome does', () => {
    const s = state();
    const cases: [CallOutcome, Partial<ReturnType<typeof afterCall>>][] = [
      [{ kind: 'published', externalId: 'x1', url: 'https://p/x1', parts: [{ externalId: 'x1' }] }, { status: 'published', event: 'published', nextAttemptInMs: null }],
      [{ kind: 'pending', ref: 'job-1', retryAfterMs: 10 }, { status: 'pending', nextAttemptInMs: 1_000, pending: { ref: 'job-1', startsNow: true } }],
      [{ kind: 'rejected', code: 'CONTENT_REJECTED', reason: 'spam' }, { status: 'failed', event: 'failed', failure: { code: 'CONTENT_REJECTED', reason: 'spam' } }],
      [{ kind: 'rate_limited', retryAfterMs: 30_000 }, { status: 'retrying', nextAttemptInMs: 30_000, attemptsDelta: -1, lineUp: undefined, failure: { code: 'RATE_LIMITED', reason: 'rate limited; retry after 30 s' } }],
      [{ kind: 'rate_limited', retryAfterMs: 400, spacingMs: 1_000 }, { status: 'retrying', nextAttemptInMs: 400, attemptsDelta: -1, lineUp: { spacingMs: 1_000 } }],
      [{ kind: 'transient', reason: '503' }, { status: 'retrying', nextAttemptInMs: 1_000, attemptsDelta: 0 }],
      [{ kind: 'reconnect_required', reason: 'token revoked' }, { status: 'failed', event: 'failed', failure: { code: 'RECONNECT_REQUIRED', reason: 'token revoked' } }],
      [{ kind: 'refused', code: 'DRAFT_INVALID', reason: 'too long' }, { status: 'failed', failure: { code: 'DRAFT_INVALID', reason: 'too long' } }],
    ];
    for (const [outcome, want] of cases) {
      const got = afterCall('publish', s, outcome, 'none', policy, now, noJitter);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof typeof got], v, `${outcome.kind}: ${k}`);
    }
  });

  test('transient failures give up after the last attempt; rate limits never count', () => {
    const last = state({ attempts: policy.maxAttempts });
    const failed = afterCall('publish', last, { kind: 'transient', reason: '503' }, 'none', policy, now, noJitter);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failure?.code, 'RETRIES_EXHAUSTED');
    assert.equal(afterCall('publish', last, { kind: 'rate_limited', retryAfterMs: 1 }, 'none', policy, now, noJitter).status, 'retrying');
  });

  test('an unknown outcome is never retried blindly', () => {
    const unknown: CallOutcome = { kind: 'unknown', reason: 'timed out after sending' };
    const none = afterCall('publish', state(), unknown, 'none', policy, now, noJitter);
    assert.equal(none.status, 'unconfirmed');
    assert.equal(none.event, 'unconfirmed');
    const platform = afterCall('publish', state(), unknown, 'platform', policy, now, noJitter);
    assert.equal(platform.status, 'retrying');
    assert.equal(platform.outcomeUnknown, true);
    assert.equal(afterCall('publish', state({ attempts: 3 }), unknown, 'platform', policy, now, noJitter).status, 'unconfirmed');
    const afterwards = afterCall('publish', state({ outcomeUnknown: true }), { kind: 'refused', code: 'ACCOUNT_NOT_CONNECTED', reason: 'disconnected' }, 'platform', policy, now);
    assert.equal(afterwards.status, 'unconfirmed', 'a failure after an unknown outcome cannot say the post is not live');
  });

  test('polling a pending publish: finalise, keep waiting, or give up after the timeout', () => {
    const since = state({ pendingSince: new Date(now.getTime() - 60_000) });
    assert.equal(afterCall('poll', since, { kind: 'published', externalId: 'x', url: null, parts: [] }, 'none', policy, now).status, 'published');
    const still = afterCall('poll', since, { kind: 'pending', ref: 'job-1', retryAfterMs: 120_000 }, 'none', policy, now);
    assert.equal(still.status, 'pending');
    assert.equal(still.nextAttemptInMs, 60_000, 'polls are spaced within bounds');
    assert.equal(still.pending?.startsNow, false);
    assert.equal(afterCall('poll', since, { kind: 'transient', reason: '502' }, 'none', policy, now).status, 'pending');
    assert.equal(afterCall('poll', since, { kind: 'rejected', code: 'MEDIA_FAILED', reason: 'transcoding failed' }, 'none', policy, now).status, 'failed');
    const stale = state({ pendingSince: new Date(now.getTime() - policy.pendingTimeoutMs - 1) });
    const timeout = afterCall('poll', stale, { kind: 'pending', ref: 'job-1', retryAfterMs: 1 }, 'none', policy, now);
    assert.equal(timeout.status, 'unconfirmed');
    assert.equal(timeout.failure?.code, 'PENDING_TIMEOUT');
  });
});
