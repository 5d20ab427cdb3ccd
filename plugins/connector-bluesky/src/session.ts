import { ReconnectRequired, type ConnectedIdentity, type ConnectorContext, type ConnectorCredentials } from '@markettina/sdk';
import { describeError, xrpc, xrpcError, type SessionOutput } from './api.js';

/** When a JWT's `exp` says it expires (ISO 8601), or undefined when it does not say. */
export function jwtExpiry(jwt: string): string | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? new Date(exp * 1000).toISOString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A session's credentials. The app password stays with them (sealed like every secret) so
 * that a refresh token that expired or was revoked is replaced by a new session instead of
 * asking the tenant to reconnect; revoking the app password on Bluesky ends that too.
 */
function sessionCredentials(s: SessionOutput, fields: Record<string, string> | undefined): ConnectorCredentials {
  if (typeof s?.accessJwt !== 'string' || !s.accessJwt || typeof s.refreshJwt !== 'string' || !s.refreshJwt || typeof s.did !== 'string') {
    throw new ReconnectRequired('Bluesky answered without a session');
  }
  const expiresAt = jwtExpiry(s.accessJwt);
  return {
    accessToken: s.accessJwt,
    refreshToken: s.refreshJwt,
    ...(expiresAt ? { expiresAt } : {}),
    ...(fields ? { fields } : {}),
    extra: { did: s.did, handle: s.handle },
  };
}

/** Refusals of createSession: wrong identifier or password, an account that wants an emailed code, a taken-down account. */
const SIGN_IN_REFUSALS = ['AuthenticationRequired', 'AuthFactorTokenRequired', 'AccountTakedown', 'InvalidRequest'];

/** Opens a session with the handle (or DID, or email) and an app password. */
export async function signIn(ctx: ConnectorContext, fields: Record<string, string>): Promise<ConnectorCredentials> {
  const res = await xrpc(ctx, {
    method: 'POST',
    nsid: 'com.atproto.server.createSession',
    token: 'none',
    budget: 'session',
    json: { identifier: fields.identifier, password: fields.appPassword },
    expect: SIGN_IN_REFUSALS,
  });
  if (res.status !== 200) throw new ReconnectRequired(`Bluesky refused the sign-in (${describeError(xrpcError(res))}); check the handle and the app password`, res.status);
  return sessionCredentials(res.json<SessionOutput>(), fields);
}

/**
 * Renews the session with the refresh token (which the PDS rotates). When the refresh
 * token is spent, expired or revoked, signs in again with the stored app password.
 */
export async function refreshSession(ctx: ConnectorContext): Promise<ConnectorCredentials> {
  const fields = ctx.credentials.fields;
  if (ctx.credentials.refreshToken) {
    const res = await xrpc(ctx, {
      method: 'POST',
      nsid: 'com.atproto.server.refreshSession',
      token: 'refresh',
      expect: ['ExpiredToken', 'InvalidToken', 'AuthenticationRequired', 'AuthMissing', 'AccountTakedown'],
    });
    if (res.status === 200) return sessionCredentials(res.json<SessionOutput>(), fields);
    const err = xrpcError(res);
    if (err.error === 'AccountTakedown') throw new ReconnectRequired(`Bluesky refused the session: ${describeError(err)}`, res.status);
  }
  if (!fields?.identifier || !fields.appPassword) throw new ReconnectRequired('the Bluesky session ended and no app password is stored; connect the account again');
  return signIn(ctx, fields);
}

/** Who the session belongs to: the DID identifies the account for good; handles can change. */
export async function identify(ctx: ConnectorContext): Promise<ConnectedIdentity> {
  const session = (await xrpc(ctx, { method: 'GET', nsid: 'com.atproto.server.getSession' })).json<{ did: string; handle: string }>();
  const profile = await xrpc(ctx, { method: 'GET', nsid: 'app.bsky.actor.getProfile', params: { actor: session.did }, expect: ['InvalidRequest', 'NotFound'] });
  const displayName = profile.status === 200 ? profile.json<{ displayName?: string }>().displayName : undefined;
  return { externalId: session.did, displayName: displayName || session.handle, handle: `@${session.handle}`, profileUrl: `https://bsky.app/profile/${session.handle}` };
}
