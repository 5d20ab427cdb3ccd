/**
 * Refresh-token rotation. A login starts a session (a token family); every refresh uses
 * the presented token up and issues its successor. A token that was already used coming
 * back means two parties hold the family, one of them a thief, so the whole family is
 * revoked and both must log in again (OAuth 2.0 Security BCP, refresh token rotation).
 */
export interface RefreshTokenState {
  secretMatches: boolean;
  usedAt: Date | null;
  expiresAt: Date;
}

export interface SessionState {
  revokedAt: Date | null;
  expiresAt: Date;
  userActive: boolean;
}

export type RefreshVerdict =
  | { kind: 'rotate' }
  | { kind: 'reuse' }
  | { kind: 'invalid'; reason: 'unknown' | 'revoked' | 'expired' | 'user_disabled' };

export function judgeRefresh(token: RefreshTokenState | undefined, session: SessionState | undefined, now: Date): RefreshVerdict {
  // A wrong secret proves nothing about the family (anyone can make up an id), so it revokes nothing.
  if (!token || !session || !token.secretMatches) return { kind: 'invalid', reason: 'unknown' };
  if (session.revokedAt) return { kind: 'invalid', reason: 'revoked' };
  if (token.usedAt) return { kind: 'reuse' };
  if (token.expiresAt <= now || session.expiresAt <= now) return { kind: 'invalid', reason: 'expired' };
  if (!session.userActive) return { kind: 'invalid', reason: 'user_disabled' };
  return { kind: 'rotate' };
}

/** A successor never outlives its family's absolute expiry. */
export const successorExpiry = (now: Date, ttlSeconds: number, sessionExpiresAt: Date): Date =>
  new Date(Math.min(now.getTime() + ttlSeconds * 1000, sessionExpiresAt.getTime()));
