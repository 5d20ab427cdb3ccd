import { AuthExpired, isConnectorError, ProblemError, type Connector, type ConnectorContext, type ConnectorCredentials, type ConnectorError } from '@markettina/sdk';
import type { Knex } from 'knex';
import { TokenExpired, TokenRefreshed } from '../contracts.js';
import { afterFailure, healthy } from '../domain/account-state.js';
import { mergeRefreshed } from '../domain/credentials.js';
import { publishAccountEvent } from '../events.js';
import type { SocialRuntime } from '../runtime.js';
import { findAccount, openCredentials, recordHealth, swapCredentials, type AccountRow } from '../store/accounts.js';
import { clientById } from '../store/oauth.js';

export interface AccountCall {
  row: AccountRow;
  connector: Connector;
  credentials: ConnectorCredentials;
  ctx: ConnectorContext;
}

/** The connector context of a connected account: its credentials, client and budget. */
export async function accountCall(rt: SocialRuntime, db: Knex.Transaction, tenantId: string, row: AccountRow): Promise<AccountCall> {
  const connector = await rt.connector(db, row.connector);
  const credentials = openCredentials(rt.secrets, row);
  const client = row.oauth_client_id ? await clientById(db, rt.secrets, row.oauth_client_id) : rt.config.oauth.clients[row.connector];
  const ctx = rt.context({
    tenantId,
    connector,
    origin: row.origin,
    account: { id: row.id, externalId: row.external_id, settings: row.settings },
    credentials,
    ...(client ? { client } : {}),
  });
  return { row, connector, credentials, ctx };
}

const canRefresh = (c: AccountCall) => Boolean(c.connector.refreshCredentials) && (c.connector.auth.kind === 'credentials' || Boolean(c.credentials.refreshToken));

/** Records a failed call's effect on the account in its own transaction, so it sticks when the caller rolls back. */
export async function recordFailure(rt: SocialRuntime, tenantId: string, row: AccountRow, err: ConnectorError, refreshable: boolean): Promise<boolean> {
  const change = afterFailure({ status: row.status, refreshFailures: row.refresh_failures }, err, refreshable);
  return rt.tenancy.withTenant(tenantId, async (trx) => {
    const written = await recordHealth(trx, row.id, row.credentials_version, change);
    if (written && change.expired) await publishAccountEvent(rt.events, trx, TokenExpired, row.id, { connector: row.connector, reason: err.message });
    return change.expired;
  });
}

export type RefreshOutcome = 'refreshed' | 'expired' | 'failed' | 'skipped';

/**
 * Refreshes one account's credentials. The platform call runs outside any transaction;
 * the write is a compare-and-set on the credentials version, so of two nodes refreshing at
 * once only one write lands, and a refresh never overwrites a reconnect or a disconnect.
 */
export async function refreshAccount(rt: SocialRuntime, tenantId: string, socialAccountId: string): Promise<RefreshOutcome> {
  const call = await rt.tenancy.withTenant(tenantId, async (trx) => {
    const row = await findAccount(trx, socialAccountId);
    return row && row.status === 'connected' && row.credentials_sealed ? accountCall(rt, trx, tenantId, row) : undefined;
  });
  if (!call || !canRefresh(call)) return 'skipped';
  let fresh: ConnectorCredentials;
  try {
    fresh = await call.connector.refreshCredentials!(call.ctx);
  } catch (err) {
    if (!isConnectorError(err)) throw err;
    rt.logger.warn({ socialAccount: socialAccountId, kind: err.kind }, 'credential refresh failed');
    return (await recordFailure(rt, tenantId, call.row, err, false)) ? 'expired' : 'failed';
  }
  const merged = mergeRefreshed(call.credentials, fresh);
  return rt.tenancy.withTenant(tenantId, async (trx) => {
    const updated = await swapCredentials(trx, rt.secrets, call.row, call.row.credentials_version, merged);
    if (!updated) return 'skipped';
    await publishAccountEvent(rt.events, trx, TokenRefreshed, updated.id, { connector: updated.connector, expiresAt: updated.token_expires_at?.toISOString() ?? null });
    return 'refreshed';
  });
}

/** `db` when the caller has a transaction; otherwise a short tenant transaction of its own per read. */
const reader = (rt: SocialRuntime, db: Knex.Transaction | undefined, tenantId: string) => <T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> =>
  db ? fn(db) : rt.tenancy.withTenant(tenantId, fn);

const notConnected = (row: AccountRow) =>
  row.status === 'reconnect_required'
    ? new ProblemError({ status: 409, code: 'RECONNECT_REQUIRED', title: 'The account must be reconnected', detail: row.last_error ?? 'its credentials stopped working' })
    : new ProblemError({ status: 409, code: 'ACCOUNT_NOT_CONNECTED', title: 'The account is not connected', detail: `the account is ${row.status.replace('_', ' ')}` });

/**
 * Runs `op` for a connected account. Refused credentials are refreshed once where the
 * platform allows it and the call is retried; otherwise the account is marked as needing
 * a reconnect (TokenExpired) and the error goes on to the caller. Without `db`, `op` runs
 * outside any transaction and the account is read in short transactions of its own;
 * `prepared` is the account's call when the caller built it already.
 */
export async function withAccount<T>(rt: SocialRuntime, db: Knex.Transaction | undefined, tenantId: string, row: AccountRow, op: (call: AccountCall) => Promise<T>, prepared?: AccountCall): Promise<T> {
  if (row.status !== 'connected') throw notConnected(row);
  const read = reader(rt, db, tenantId);
  const call = prepared ?? (await read((trx) => accountCall(rt, trx, tenantId, row)));
  try {
    return await op(call);
  } catch (err) {
    // The platform says no call will work until the tenant connects again: record it now.
    if (isConnectorError(err) && err.kind === 'reconnect_required') {
      await recordFailure(rt, tenantId, row, err, false);
      throw err;
    }
    if (!(err instanceof AuthExpired)) throw err;
    if (canRefresh(call)) {
      const outcome = await refreshAccount(rt, tenantId, row.id);
      if (outcome === 'refreshed') return op(await read(async (trx) => accountCall(rt, trx, tenantId, (await findAccount(trx, row.id))!)));
      // The refresh recorded its own outcome (expired, or a passing failure).
      if (outcome !== 'skipped') throw err;
    }
    await recordFailure(rt, tenantId, row, err, false);
    throw err;
  }
}

/**
 * Asks the platform who the credentials belong to, to learn whether the account still
 * works: success restores its health; refused credentials lead to reconnect-required (with
 * TokenExpired), passing trouble to degraded health.
 */
export async function checkHealth(rt: SocialRuntime, db: Knex.Transaction, tenantId: string, row: AccountRow): Promise<AccountRow> {
  if (row.status !== 'connected') return row;
  try {
    await withAccount(rt, db, tenantId, row, (call) => call.connector.identify(call.ctx));
  } catch (err) {
    if (!isConnectorError(err)) throw err;
    // withAccount has already recorded refused credentials and reconnect-required answers.
    if (!(err instanceof AuthExpired) && err.kind !== 'reconnect_required') await recordFailure(rt, tenantId, row, err, false);
    return (await findAccount(db, row.id))!;
  }
  const fresh = (await findAccount(db, row.id))!;
  await recordHealth(db, fresh.id, fresh.credentials_version, healthy('connected'));
  return (await findAccount(db, row.id))!;
}
