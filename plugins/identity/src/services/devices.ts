import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { problems } from '@markettina/sdk';
import { newCredential, parseCredential, secretMatches } from '../domain/credentials.js';

interface DeviceRow {
  account_id: string;
  id: string;
  user_id: string;
  name: string;
  secret_hash: Buffer;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface DeviceView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
}

const view = (r: DeviceRow): DeviceView => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at ? r.last_used_at.toISOString() : null,
  expiresAt: r.expires_at.toISOString(),
});

/** Devices a user chose to trust at login; a trusted device logs in on a throttling budget of its own. */
export class TrustedDevices {
  constructor(private readonly ttlSeconds: number) {}

  async trust(db: Knex.Transaction, accountId: string, userId: string, name: string): Promise<{ token: string; device: DeviceView }> {
    const id = randomUUID();
    const { token, secretHash } = newCredential('device', id, accountId);
    const [row] = await db<DeviceRow>('identity_trusted_devices')
      .insert({ account_id: accountId, id, user_id: userId, name, secret_hash: secretHash, expires_at: new Date(Date.now() + this.ttlSeconds * 1000) })
      .returning('*');
    return { token, device: view(row!) };
  }

  /** The live device `token` names, in this account, and whose it is. */
  async recognise(db: Knex.Transaction, accountId: string, token: string): Promise<{ id: string; userId: string } | undefined> {
    const cred = parseCredential(token, ['device']);
    if (!cred || cred.accountId !== accountId) return undefined;
    const row = await db<DeviceRow>('identity_trusted_devices').where({ id: cred.id }).whereNull('revoked_at').where('expires_at', '>', db.fn.now()).first();
    if (!row || !secretMatches(cred.secret, row.secret_hash)) return undefined;
    return { id: row.id, userId: row.user_id };
  }

  async touch(db: Knex.Transaction, id: string): Promise<void> {
    await db('identity_trusted_devices').where({ id }).update({ last_used_at: db.fn.now() });
  }

  async list(db: Knex.Transaction, userId: string): Promise<DeviceView[]> {
    const rows = await db<DeviceRow>('identity_trusted_devices').where({ user_id: userId }).whereNull('revoked_at').where('expires_at', '>', db.fn.now()).orderBy('created_at', 'desc');
    return rows.map(view);
  }

  async revoke(db: Knex.Transaction, userId: string, id: string): Promise<void> {
    const n = await db('identity_trusted_devices').where({ id, user_id: userId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
    if (!n) throw problems.notFound('device');
  }
}
