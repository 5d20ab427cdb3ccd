import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ConnectorCredentials, SecretBox } from '@markettina/sdk';
import type { AccountHealth, AccountStatus, HealthChange } from '../domain/account-state.js';
import { openJson, sealBinding, sealJson } from '../domain/credentials.js';

export interface AccountRow {
  account_id: string;
  id: string;
  connector: string;
  origin: string;
  external_id: string;
  display_name: string;
  handle: string | null;
  profile_url: string | null;
  settings: Record<string, string>;
  channels: { id: string; name: string }[] | null;
  oauth_client_id: string | null;
  credentials_sealed: string | null;
  credentials_version: number;
  token_expires_at: Date | null;
  status: AccountStatus;
  health: AccountHealth;
  last_error: string | null;
  refresh_failures: number;
  last_refreshed_at: Date | null;
  connected_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const binding = (row: { account_id: string; id: string }) => sealBinding('social_accounts', row.account_id, row.id);
const expiresAt = (c: ConnectorCredentials) => (c.expiresAt ? new Date(c.expiresAt) : null);

export function openCredentials(box: SecretBox, row: AccountRow): ConnectorCredentials {
  return row.credentials_sealed ? openJson<ConnectorCredentials>(box, row.credentials_sealed, binding(row)) : {};
}

export const findAccount = (db: Knex.Transaction, id: string) => db<AccountRow>('social_accounts').where({ id }).first();

export interface ConnectedAccount {
  connector: string;
  origin: string;
  externalId: string;
  displayName: string;
  handle?: string;
  profileUrl?: string;
  settings: Record<string, string>;
  channels: { id: string; name: string }[] | null;
  oauthClientId: string | null;
  credentials: ConnectorCredentials;
  connectedBy: string;
}

/** Connects (or reconnects) an account: one row per platform identity, credentials sealed to it. */
export async function upsertAccount(db: Knex.Transaction, box: SecretBox, accountId: string, a: ConnectedAccount): Promise<AccountRow> {
  const existing = await db<AccountRow>('social_accounts').where({ connector: a.connector, external_id: a.externalId }).forUpdate().first();
  const id = existing?.id ?? randomUUID();
  const values = {
    origin: a.origin,
    display_name: a.displayName,
    handle: a.handle ?? null,
    profile_url: a.profileUrl ?? null,
    settings: JSON.stringify(a.settings),
    channels: a.channels ? JSON.stringify(a.channels) : null,
    oauth_client_id: a.oauthClientId,
    credentials_sealed: sealJson(box, a.credentials, binding({ account_id: accountId, id })),
    token_expires_at: expiresAt(a.credentials),
    status: (a.channels ? 'pending_channel' : 'connected') as AccountStatus,
    health: 'ok' as AccountHealth,
    last_error: null,
    refresh_failures: 0,
    connected_by: a.connectedBy,
    updated_at: db.fn.now(),
  };
  if (existing) {
    const [row] = await db('social_accounts')
      .where({ id })
      .update({ ...values, credentials_version: db.raw('credentials_version + 1') })
      .returning('*');
    return row as AccountRow;
  }
  const [row] = await db('social_accounts')
    .insert({ account_id: accountId, id, connector: a.connector, external_id: a.externalId, ...values })
    .returning('*');
  return row as AccountRow;
}

/**
 * Compare-and-set: writes new credentials only if nobody changed them since `version` was
 * read (another node's refresh, a reconnect, a disconnect). Returns the row, or undefined
 * when the write lost.
 */
export async function swapCredentials(db: Knex.Transaction, box: SecretBox, row: AccountRow, version: number, credentials: ConnectorCredentials): Promise<AccountRow | undefined> {
  if (!credentials.accessToken && !credentials.fields) throw new Error('refusing to store credentials without an access token');
  const [updated] = await db('social_accounts')
    .where({ id: row.id, credentials_version: version })
    .whereNotNull('credentials_sealed')
    .update({
      credentials_sealed: sealJson(box, credentials, binding(row)),
      credentials_version: version + 1,
      token_expires_at: expiresAt(credentials),
      status: 'connected',
      health: 'ok',
      last_error: null,
      refresh_failures: 0,
      last_refreshed_at: db.fn.now(),
      updated_at: db.fn.now(),
    })
    .returning('*');
  return updated as AccountRow | undefined;
}

/** Records a health change, unless the credentials changed since `version` was read. */
export async function recordHealth(db: Knex.Transaction, id: string, version: number, change: HealthChange): Promise<boolean> {
  const n = await db('social_accounts')
    .where({ id, credentials_version: version })
    .whereIn('status', ['connected', 'reconnect_required'])
    .update({ status: change.status, health: change.health, last_error: change.lastError, refresh_failures: change.refreshFailures, updated_at: db.fn.now() });
  return n > 0;
}

export async function disconnectAccount(db: Knex.Transaction, id: string): Promise<AccountRow | undefined> {
  const [row] = await db('social_accounts')
    .where({ id })
    .whereNot({ status: 'disconnected' })
    .update({ status: 'disconnected', credentials_sealed: null, token_expires_at: null, channels: null, credentials_version: db.raw('credentials_version + 1'), updated_at: db.fn.now() })
    .returning('*');
  return row as AccountRow | undefined;
}

export function accountView(r: AccountRow) {
  return {
    id: r.id,
    connector: r.connector,
    origin: r.origin,
    externalId: r.external_id,
    displayName: r.display_name,
    handle: r.handle,
    profileUrl: r.profile_url,
    settings: r.settings,
    status: r.status,
    health: r.health,
    lastError: r.last_error,
    channels: r.status === 'pending_channel' ? (r.channels ?? []) : null,
    tokenExpiresAt: r.token_expires_at?.toISOString() ?? null,
    lastRefreshedAt: r.last_refreshed_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
