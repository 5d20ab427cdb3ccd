import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { OAuthClient, SecretBox } from '@markettina/sdk';
import { openJson, sealBinding, sealJson } from '../domain/credentials.js';
import { FLOW_TTL_MS, stateHash, type FlowSecret } from '../domain/oauth-flow.js';

interface ClientRow {
  account_id: string;
  id: string;
  connector: string;
  origin: string;
  redirect_uri: string;
  client_id: string;
  client_secret_sealed: string | null;
}

const clientBinding = (accountId: string, id: string) => sealBinding('social_oauth_clients', accountId, id);
const flowBinding = (accountId: string, id: string) => sealBinding('social_oauth_flows', accountId, id);

function openClient(box: SecretBox, row: ClientRow): OAuthClient {
  return { clientId: row.client_id, ...(row.client_secret_sealed ? { clientSecret: openJson<string>(box, row.client_secret_sealed, clientBinding(row.account_id, row.id)) } : {}) };
}

export async function findClient(db: Knex.Transaction, box: SecretBox, key: { connector: string; origin: string; redirectUri: string }): Promise<{ rowId: string; client: OAuthClient } | undefined> {
  const row = await db<ClientRow>('social_oauth_clients').where({ connector: key.connector, origin: key.origin, redirect_uri: key.redirectUri }).first();
  return row ? { rowId: row.id, client: openClient(box, row) } : undefined;
}

export async function clientById(db: Knex.Transaction, box: SecretBox, id: string): Promise<OAuthClient | undefined> {
  const row = await db<ClientRow>('social_oauth_clients').where({ id }).first();
  return row ? openClient(box, row) : undefined;
}

/** Keeps a client registered with a platform; a concurrent registration of the same key wins and is returned. */
export async function saveClient(db: Knex.Transaction, box: SecretBox, accountId: string, key: { connector: string; origin: string; redirectUri: string }, client: OAuthClient): Promise<string> {
  const id = randomUUID();
  const inserted = await db('social_oauth_clients')
    .insert({
      account_id: accountId,
      id,
      connector: key.connector,
      origin: key.origin,
      redirect_uri: key.redirectUri,
      client_id: client.clientId,
      client_secret_sealed: client.clientSecret ? sealJson(box, client.clientSecret, clientBinding(accountId, id)) : null,
    })
    .onConflict(['account_id', 'connector', 'origin', 'redirect_uri'])
    .ignore()
    .returning('id');
  if (inserted.length) return id;
  return (await findClient(db, box, key))!.rowId;
}

export async function createFlow(db: Knex.Transaction, box: SecretBox, o: { accountId: string; connector: string; principalId: string; secret: FlowSecret; now: Date }): Promise<{ id: string; expiresAt: Date }> {
  const id = randomUUID();
  const expiresAt = new Date(o.now.getTime() + FLOW_TTL_MS);
  await db('social_oauth_flows').insert({
    account_id: o.accountId,
    id,
    connector: o.connector,
    state_hash: stateHash(o.secret.state),
    secret_sealed: sealJson(box, o.secret, flowBinding(o.accountId, id)),
    principal_id: o.principalId,
    expires_at: expiresAt,
  });
  return { id, expiresAt };
}

export interface ConsumedFlow {
  id: string;
  connector: string;
  principalId: string;
  expiresAt: Date;
  secret: FlowSecret;
}

/**
 * Marks the flow of `state` used and returns it; undefined when there is none or it was
 * already used. One conditional update, so two callbacks with one state cannot both win.
 */
export async function consumeFlow(db: Knex.Transaction, box: SecretBox, state: string): Promise<ConsumedFlow | undefined> {
  const [row] = await db('social_oauth_flows')
    .where({ state_hash: stateHash(state) })
    .whereNull('used_at')
    .update({ used_at: db.fn.now() })
    .returning(['account_id', 'id', 'connector', 'principal_id', 'expires_at', 'secret_sealed']);
  if (!row) return undefined;
  const secret = openJson<FlowSecret>(box, row.secret_sealed, flowBinding(row.account_id, row.id));
  // The hash matched; the sealed state must match too (it is what the hash was made from).
  if (secret.state !== state) return undefined;
  return { id: row.id, connector: row.connector, principalId: row.principal_id, expiresAt: row.expires_at, secret };
}

/** Forgets flows that ended (used or expired) more than a day ago. */
export function sweepFlows(db: Knex.Transaction): Promise<number> {
  return db('social_oauth_flows').where('expires_at', '<', db.raw("now() - interval '1 day'")).delete();
}
