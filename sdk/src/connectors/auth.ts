import { createHash, randomBytes } from 'node:crypto';
import type { JsonSchema } from '../schema.js';
import type { ConnectorContext, ConnectorCredentials, HttpResponse, OAuthClient } from './context.js';
import { ReconnectRequired } from './errors.js';

/**
 * OAuth 2 authorization code flow. URLs may start with `{origin}`, replaced by the
 * account's API origin (platforms such as Mastodon live on many instances).
 */
export interface OAuth2Auth {
  kind: 'oauth2';
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
  /** Whether the platform takes PKCE (always S256). */
  pkce: boolean;
  /**
   * `deployment`: the client id and secret come from the deployment's configuration.
   * `dynamic`: the connector registers a client per origin (`registerClient`).
   */
  client: 'deployment' | 'dynamic';
  /** Whether access tokens expire and are renewed with a refresh token. */
  refresh: boolean;
}

/** API key or app password: the tenant types in the fields `fields` declares. */
export interface CredentialsAuth {
  kind: 'credentials';
  /** JSON Schema (an object) of the secret fields, e.g. `{ identifier, appPassword }`. */
  fields: JsonSchema;
  /** Whether the session the fields open expires and is renewed by `refreshCredentials`. */
  refresh: boolean;
}

export type ConnectorAuth = OAuth2Auth | CredentialsAuth;

export interface PkcePair {
  verifier: string;
  challenge: string;
}

/** RFC 7636 S256: a 43-character verifier from 32 random bytes. */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** An opaque, unguessable OAuth `state`. */
export const createOAuthState = (): string => randomBytes(32).toString('base64url');

export const resolveOriginTemplate = (template: string, origin: string): string => template.replace('{origin}', origin);

export interface AuthorizationRequest {
  origin: string;
  client: OAuthClient;
  redirectUri: string;
  state: string;
  /** The PKCE challenge; required when the platform takes PKCE. */
  codeChallenge?: string;
}

/** The URL the tenant's browser is sent to (RFC 6749 §4.1.1, RFC 7636 §4.3). */
export function authorizationUrl(auth: OAuth2Auth, req: AuthorizationRequest): string {
  const url = new URL(resolveOriginTemplate(auth.authorizeUrl, req.origin));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', req.client.clientId);
  url.searchParams.set('redirect_uri', req.redirectUri);
  url.searchParams.set('scope', auth.scopes.join(' '));
  url.searchParams.set('state', req.state);
  if (auth.pkce) {
    if (!req.codeChallenge) throw new TypeError('this platform takes PKCE: pass codeChallenge');
    url.searchParams.set('code_challenge', req.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.toString();
}

interface TokenResponse {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  scope?: unknown;
}

/** Reads an RFC 6749 §5.1 token response into credentials. */
export function credentialsFromTokenResponse(res: HttpResponse, now: Date): ConnectorCredentials {
  const body = res.json<TokenResponse>();
  if (typeof body.access_token !== 'string' || body.access_token === '') throw new ReconnectRequired('the token endpoint returned no access_token', res.status);
  const out: ConnectorCredentials = { accessToken: body.access_token };
  if (typeof body.refresh_token === 'string' && body.refresh_token !== '') out.refreshToken = body.refresh_token;
  if (typeof body.expires_in === 'number' && body.expires_in > 0) out.expiresAt = new Date(now.getTime() + body.expires_in * 1000).toISOString();
  if (typeof body.scope === 'string') out.scope = body.scope;
  return out;
}

/** RFC 6749 §5.2: `invalid_grant` and friends mean this authorisation is over. */
async function tokenRequest(ctx: ConnectorContext, auth: OAuth2Auth, form: Record<string, string | undefined>): Promise<ConnectorCredentials> {
  const client = ctx.client;
  if (!client) throw new ReconnectRequired('no OAuth client is configured for this platform');
  const res = await ctx.http.request({
    method: 'POST',
    url: resolveOriginTemplate(auth.tokenUrl, ctx.origin),
    form: { ...form, client_id: client.clientId, client_secret: client.clientSecret },
    accept: [400, 401],
  });
  if (res.status === 400 || res.status === 401) {
    let reason = `HTTP ${res.status}`;
    try {
      reason = String(res.json<{ error?: string }>().error ?? reason);
    } catch {
      /* not JSON: keep the status */
    }
    throw new ReconnectRequired(`the platform refused the grant (${reason}); connect the account again`, res.status);
  }
  return credentialsFromTokenResponse(res, ctx.now());
}

/** The standard authorization-code exchange (RFC 6749 §4.1.3 with the RFC 7636 verifier). */
export function exchangeAuthorizationCode(
  ctx: ConnectorContext,
  auth: OAuth2Auth,
  req: { code: string; redirectUri: string; codeVerifier?: string },
): Promise<ConnectorCredentials> {
  return tokenRequest(ctx, auth, { grant_type: 'authorization_code', code: req.code, redirect_uri: req.redirectUri, code_verifier: req.codeVerifier });
}

/** The standard refresh (RFC 6749 §6). Keeps the old refresh token when the platform sends no new one. */
export async function refreshAccessToken(ctx: ConnectorContext, auth: OAuth2Auth): Promise<ConnectorCredentials> {
  const refreshToken = ctx.credentials.refreshToken;
  if (!refreshToken) throw new ReconnectRequired('there is no refresh token; connect the account again');
  const fresh = await tokenRequest(ctx, auth, { grant_type: 'refresh_token', refresh_token: refreshToken });
  return { ...fresh, refreshToken: fresh.refreshToken ?? refreshToken };
}
