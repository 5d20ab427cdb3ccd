import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthExpired, ContentRejected, OutboundRefused, RateLimited, ReconnectRequired, Transient, UnknownOutcome } from '@markettina/sdk';
import { afterFailure, FAILING_AFTER } from '../src/domain/account-state.js';
import { mergeRefreshed, refreshDue } from '../src/domain/credentials.js';
import { storedDraft, toPostDraft } from '../src/domain/drafts.js';
import { checkFlow, FLOW_TTL_MS } from '../src/domain/oauth-flow.js';
import { problemFor } from '../src/domain/problems.js';

describe('credentials', () => {
  test('a refresh never drops the refresh token or stores an empty one', () => {
    const old = { accessToken: 'a1', refreshToken: 'r1', expiresAt: '2026-01-01T00:00:00Z' };
    assert.deepEqual(mergeRefreshed(old, { accessToken: 'a2', expiresAt: '2026-01-01T01:00:00Z' }), { accessToken: 'a2', refreshToken: 'r1', expiresAt: '2026-01-01T01:00:00Z' });
    assert.deepEqual(mergeRefreshed(old, { accessToken: 'a2', refreshToken: '' }), { accessToken: 'a2', refreshToken: 'r1' });
    assert.deepEqual(mergeRefreshed(old, { accessToken: 'a2', refreshToken: 'r2' }), { accessToken: 'a2', refreshToken: 'r2' });
    assert.deepEqual(mergeRefreshed({ accessToken: 'a1' }, { accessToken: 'a2', refreshToken: '' }), { accessToken: 'a2' });
  });

  test('refresh is due within the lead time, never for tokens that do not expire', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    assert.equal(refreshDue(new Date('2026-01-01T00:09:59Z'), now, 600), true);
    assert.equal(refreshDue(new Date('2026-01-01T00:10:01Z'), now, 600), false);
    assert.equal(refreshDue(null, now, 600), false);
  });
});

describe('account state', () => {
  const connected = { status: 'connected' as const, refreshFailures: 0 };
  test('refused credentials that cannot be refreshed mean reconnect, once', () => {
    const change = afterFailure(connected, new AuthExpired('401'), false);
    assert.deepEqual([change.status, change.health, change.expired], ['reconnect_required', 'failing', true]);
    assert.equal(afterFailure({ status: 'reconnect_required', refreshFailures: 0 }, new ReconnectRequired('x'), false).expired, false, 'no second TokenExpired');
  });

  test('passing trouble degrades health, then marks it failing', () => {
    let state = connected as { status: 'connected'; refreshFailures: number };
    const seen: string[] = [];
    for (let i = 0; i < FAILING_AFTER; i++) {
      const c = afterFailure(state, i % 2 ? new RateLimited(1000) : new Transient('503'), false);
      seen.push(c.health);
      state = { status: 'connected', refreshFailures: c.refreshFailures };
    }
    assert.deepEqual(seen, [...Array(FAILING_AFTER - 1).fill('degraded'), 'failing']);
  });
});

describe('OAuth flows', () => {
  test('expire after ten minutes and belong to whoever started them', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const flow = { expiresAt: new Date(now.getTime() + FLOW_TTL_MS), principalId: 'p1' };
    assert.equal(checkFlow(flow, now, 'p1'), 'ok');
    assert.equal(checkFlow(flow, new Date(flow.expiresAt.getTime()), 'p1'), 'expired');
    assert.equal(checkFlow(flow, now, 'p2'), 'wrong-principal');
  });
});

describe('drafts over REST', () => {
  test('media bytes arrive as base64 and are not kept with the stored draft', () => {
    const rest = { text: 'hi', media: [{ mimeType: 'image/png', data: Buffer.from([1, 2, 3]).toString('base64') }], thread: [{ text: 'two' }] };
    const draft = toPostDraft(rest);
    assert.deepEqual([...draft.media![0]!.data!], [1, 2, 3]);
    assert.deepEqual(storedDraft(rest), { text: 'hi', media: [{ mimeType: 'image/png', sizeBytes: 3 }], thread: [{ text: 'two' }] });
  });
});

describe('problems', () => {
  test('every connector failure has a stable code', () => {
    const codes = [new OutboundRefused('http://10.0.0.1', 'private'), new RateLimited(1500), new AuthExpired('x'), new ReconnectRequired('x'), new ContentRejected('no'), new Transient('x'), new UnknownOutcome('x')].map((e) => {
      const p = problemFor(e)!;
      return `${p.status} ${p.code}`;
    });
    assert.deepEqual(codes, ['422 ORIGIN_NOT_ALLOWED', '429 PLATFORM_RATE_LIMITED', '409 RECONNECT_REQUIRED', '409 RECONNECT_REQUIRED', '422 CONTENT_REJECTED', '503 PLATFORM_UNAVAILABLE', '503 PLATFORM_UNAVAILABLE']);
    assert.equal(problemFor(new RateLimited(1500))!.headers['retry-after'], '2');
    assert.equal(problemFor(new Error('bug')), undefined);
  });
});
