import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { judgeRefresh, successorExpiry, type RefreshTokenState, type SessionState } from '../../src/domain/refresh.js';

const now = new Date('2026-11-22T12:00:00Z');
const later = new Date('2026-11-23T12:00:00Z');
const earlier = new Date('2026-11-21T12:00:00Z');
const token = (over: Partial<RefreshTokenState> = {}): RefreshTokenState => ({ secretMatches: true, usedAt: null, expiresAt: later, ...over });
const session = (over: Partial<SessionState> = {}): SessionState => ({ revokedAt: null, expiresAt: later, userActive: true, ...over });

describe('refresh-token rotation rules', () => {
  const cases: [string, RefreshTokenState | undefined, SessionState | undefined, ReturnType<typeof judgeRefresh>][] = [
    ['a fresh token rotates', token(), session(), { kind: 'rotate' }],
    ['a used token is reuse', token({ usedAt: earlier }), session(), { kind: 'reuse' }],
    ['a used token is reuse even after it expired', token({ usedAt: earlier, expiresAt: earlier }), session(), { kind: 'reuse' }],
    ['a wrong secret is unknown, not reuse (it revokes nothing)', token({ secretMatches: false, usedAt: earlier }), session(), { kind: 'invalid', reason: 'unknown' }],
    ['an unknown token', undefined, undefined, { kind: 'invalid', reason: 'unknown' }],
    ['a revoked family stays revoked', token(), session({ revokedAt: earlier }), { kind: 'invalid', reason: 'revoked' }],
    ['an expired token', token({ expiresAt: earlier }), session(), { kind: 'invalid', reason: 'expired' }],
    ['an expired family', token(), session({ expiresAt: now }), { kind: 'invalid', reason: 'expired' }],
    ['a disabled user', token(), session({ userActive: false }), { kind: 'invalid', reason: 'user_disabled' }],
  ];
  for (const [name, t, s, expected] of cases) test(name, () => assert.deepEqual(judgeRefresh(t, s, now), expected));

  test('a successor never outlives its family', () => {
    assert.deepEqual(successorExpiry(now, 3600, later), new Date('2026-11-22T13:00:00Z'));
    assert.deepEqual(successorExpiry(now, 7 * 86400, later), later);
  });
});
