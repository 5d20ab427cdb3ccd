import {
  AuthExpired,
  authorizationUrl,
  ReconnectRequired,
  createOAuthState,
  createPkcePair,
  problems,
  ProblemError,
  resolveOrigin,
  type Connector,
  type OAuthClient,
  type RequestContext,
} from '@markettina/sdk';
import { SocialAccountConnected, SocialAccountDisconnected } from '../contracts.js';
import { checkFlow } from '../domain/oauth-flow.js';
import { fieldsProblem } from '../domain/fields.js';
import { platformCall, problemFor } from '../domain/problems.js';
import { publishAccountEvent } from '../events.js';
import { accountNotFound, type SocialRuntime } from '../runtime.js';
import { disconnectAccount, findAccount, upsertAccount, type AccountRow, type ConnectedAccount } from '../store/accounts.js';
import { clientById, consumeFlow, createFlow, findClient, saveClient } from '../store/oauth.js';

const invalid = (code: string, detail: string) => problems.invalid(code, detail);

/** While connecting, refused credentials are the tenant's input being wrong, not an account to reconnect. */
async function connectCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AuthExpired || err instanceof ReconnectRequired) throw invalid('CREDENTIALS_REFUSED', `the platform refused: ${err.message}`);
    throw problemFor(err) ?? err;
  }
}

/** Setup fields checked against the connector's schema, and the API origin they point to. */
function setupOf(rt: SocialRuntime, connector: Connector, setup: Record<string, unknown> = {}): { settings: Record<string, string>; origin: string } {
  if (connector.setup) {
    const problem = fieldsProblem(connector.setup.schema, setup);
    if (problem) throw invalid('SETUP_INVALID', `setup for ${connector.name}: ${problem}`);
  } else if (Object.keys(setup).length > 0) {
    throw invalid('SETUP_INVALID', `${connector.name} takes no setup fields`);
  }
  const settings = setup as Record<string, string>;
  const origin = resolveOrigin(connector, settings);
  rt.checkOrigin(origin);
  return { settings, origin };
}

function redirectUriOf(rt: SocialRuntime): string {
  const uri = rt.config.oauth.redirectUri;
  if (!uri) throw new ProblemError({ status: 409, code: 'OAUTH_NOT_CONFIGURED', title: 'OAuth is not configured', detail: 'this deployment has no oauth.redirectUri in the social plugin configuration' });
  return uri;
}

function deploymentClient(rt: SocialRuntime, connector: Connector): OAuthClient {
  const client = rt.config.oauth.clients[connector.id];
  if (!client) throw new ProblemError({ status: 409, code: 'OAUTH_CLIENT_NOT_CONFIGURED', title: 'OAuth is not configured', detail: `this deployment has no OAuth client for ${connector.name} (oauth.clients.${connector.id})` });
  return client;
}

/** Starts an OAuth authorisation: the state and PKCE verifier are kept sealed for ten minutes. */
export async function initiateOAuth(rt: SocialRuntime, rc: RequestContext, body: { connector: string; setup?: Record<string, unknown> }) {
  const connector = await rt.connector(rc.db, body.connector);
  const auth = connector.auth;
  if (auth.kind !== 'oauth2') throw invalid('AUTH_KIND_MISMATCH', `${connector.name} connects with credentials, not OAuth; use POST /connections/credentials`);
  const { settings, origin } = await platformCall(async () => setupOf(rt, connector, body.setup));
  const redirectUri = redirectUriOf(rt);
  const tenantId = rc.tenant.accountId;
  let client: OAuthClient;
  let clientRowId: string | null = null;
  if (auth.client === 'dynamic') {
    const key = { connector: connector.id, origin, redirectUri };
    const known = await findClient(rc.db, rt.secrets, key);
    if (known) {
      ({ client, rowId: clientRowId } = known);
    } else {
      client = await platformCall(() => connector.registerClient!(rt.context({ tenantId, connector, origin, account: { id: '', settings } }), { redirectUri, scopes: auth.scopes }));
      clientRowId = await saveClient(rc.db, rt.secrets, tenantId, key, client);
    }
  } else {
    client = deploymentClient(rt, connector);
  }
  const pkce = createPkcePair();
  const state = createOAuthState();
  const flow = await createFlow(rc.db, rt.secrets, { accountId: tenantId, connector: connector.id, principalId: rc.principal!.id, now: new Date(), secret: { state, codeVerifier: pkce.verifier, origin, settings, clientRowId } });
  return {
    authorizationUrl: authorizationUrl(auth, { origin, client, redirectUri, state, codeChallenge: pkce.challenge }),
    state,
    expiresAt: flow.expiresAt.toISOString(),
  };
}

async function saveConnection(rt: SocialRuntime, rc: RequestContext, a: Omit<ConnectedAccount, 'connectedBy' | 'channels'>, connector: Connector): Promise<AccountRow> {
  const tenantId = rc.tenant.accountId;
  const ctx = rt.context({ tenantId, connector, origin: a.origin, account: { id: '', settings: a.settings }, credentials: a.credentials });
  const channels = connector.capabilities.channels ? await platformCall(() => connector.listChannels!(ctx)) : null;
  const row = await upsertAccount(rc.db, rt.secrets, tenantId, { ...a, channels, connectedBy: rc.principal!.id });
  if (row.status === 'connected') await publishAccountEvent(rt.events, rc.db, SocialAccountConnected, row.id, { connector: row.connector, externalId: row.external_id, displayName: row.display_name });
  return row;
}

/**
 * Completes an authorisation with the code the platform sent back. The flow is consumed in
 * its own transaction first, so a state works once even when the exchange then fails.
 */
export async function completeOAuth(rt: SocialRuntime, rc: RequestContext, body: { state: string; code: string }): Promise<AccountRow> {
  const tenantId = rc.tenant.accountId;
  const flow = await rt.tenancy.withTenant(tenantId, (trx) => consumeFlow(trx, rt.secrets, body.state));
  if (!flow) throw invalid('OAUTH_STATE_INVALID', 'this authorisation is unknown or was already completed; start again');
  const check = checkFlow(flow, new Date(), rc.principal!.id);
  if (check === 'expired') throw invalid('OAUTH_STATE_EXPIRED', 'the authorisation took longer than ten minutes; start again');
  if (check === 'wrong-principal') throw invalid('OAUTH_STATE_INVALID', 'this authorisation was started by someone else; start again');
  const connector = await rt.connector(rc.db, flow.connector);
  const { origin, settings, clientRowId, codeVerifier } = flow.secret;
  const client = clientRowId ? await clientById(rc.db, rt.secrets, clientRowId) : deploymentClient(rt, connector);
  if (!client) throw invalid('OAUTH_STATE_INVALID', 'the OAuth client of this authorisation is gone; start again');
  const base = { tenantId, connector, origin, account: { id: '', settings }, client };
  const credentials = await connectCall(() => connector.exchangeCode!(rt.context(base), { code: body.code, redirectUri: redirectUriOf(rt), codeVerifier }));
  const identity = await connectCall(() => connector.identify(rt.context({ ...base, credentials })));
  return saveConnection(rt, rc, { connector: connector.id, origin, settings, oauthClientId: clientRowId, credentials, ...identity }, connector);
}

/** Connects with an API key or app password. */
export async function connectWithCredentials(rt: SocialRuntime, rc: RequestContext, body: { connector: string; setup?: Record<string, unknown>; fields: Record<string, unknown> }): Promise<AccountRow> {
  const connector = await rt.connector(rc.db, body.connector);
  const auth = connector.auth;
  if (auth.kind !== 'credentials') throw invalid('AUTH_KIND_MISMATCH', `${connector.name} connects with OAuth; use POST /connections/oauth`);
  const problem = fieldsProblem(auth.fields, body.fields);
  if (problem) throw invalid('FIELDS_INVALID', `fields for ${connector.name}: ${problem}`);
  const { settings, origin } = await platformCall(async () => setupOf(rt, connector, body.setup));
  const base = { tenantId: rc.tenant.accountId, connector, origin, account: { id: '', settings } };
  const credentials = await connectCall(() => connector.signIn!(rt.context(base), body.fields as Record<string, string>));
  const identity = await connectCall(() => connector.identify(rt.context({ ...base, credentials })));
  return saveConnection(rt, rc, { connector: connector.id, origin, settings, oauthClientId: null, credentials, ...identity }, connector);
}

/** The second step for platforms that post as a page or channel. */
export async function chooseChannel(rt: SocialRuntime, rc: RequestContext, id: string, channelId: string): Promise<AccountRow> {
  const row = await findAccount(rc.db, id);
  if (!row) throw accountNotFound();
  if (row.status !== 'pending_channel') throw problems.conflict('CHANNEL_ALREADY_CHOSEN', 'this account is not waiting for a channel');
  const channel = (row.channels ?? []).find((c) => c.id === channelId);
  if (!channel) throw invalid('CHANNEL_UNKNOWN', 'pick one of the channels the account offers');
  const [updated] = await rc
    .db('social_accounts')
    .where({ id })
    .update({ settings: JSON.stringify({ ...row.settings, channelId: channel.id, channelName: channel.name }), channels: null, status: 'connected', updated_at: rc.db.fn.now() })
    .returning('*');
  const r = updated as AccountRow;
  await publishAccountEvent(rt.events, rc.db, SocialAccountConnected, r.id, { connector: r.connector, externalId: r.external_id, displayName: r.display_name });
  return r;
}

/** Forgets an account's credentials; its posts stay. */
export async function disconnect(rt: SocialRuntime, rc: RequestContext, id: string): Promise<void> {
  const row = await disconnectAccount(rc.db, id);
  if (!row) {
    if (!(await findAccount(rc.db, id))) throw accountNotFound();
    return;
  }
  await publishAccountEvent(rt.events, rc.db, SocialAccountDisconnected, row.id, { connector: row.connector, externalId: row.external_id });
}
