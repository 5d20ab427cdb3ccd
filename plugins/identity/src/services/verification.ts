import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ProblemError, problems, type TenancyService } from '@markettina/sdk';
import { newCredential, parseCredential, secretMatches } from '../domain/credentials.js';

const TTL_MS = 48 * 3600 * 1000;
const invalid = () => problems.invalid('VERIFICATION_TOKEN_INVALID', 'the verification token is unknown, used or expired');

/**
 * Email verification: a one-time token for a user's current address (delivered by whoever
 * sends mail); presenting it sets the verified-email flag.
 */
export class EmailVerification {
  constructor(private readonly tenancy: TenancyService) {}

  async issue(db: Knex.Transaction, accountId: string, userId: string): Promise<{ token: string; expiresAt: string }> {
    const user = await db('identity_users').where({ id: userId }).first('id');
    if (!user) throw problems.notFound('user');
    const id = randomUUID();
    const { token, secretHash } = newCredential('verification', id, accountId);
    const expiresAt = new Date(Date.now() + TTL_MS);
    await db('identity_email_verifications').insert({ account_id: accountId, id, user_id: userId, secret_hash: secretHash, expires_at: expiresAt });
    return { token, expiresAt: expiresAt.toISOString() };
  }

  async confirm(token: string): Promise<{ userId: string }> {
    const cred = parseCredential(token, ['verification']);
    if (!cred?.accountId) throw invalid();
    try {
      return await this.tenancy.withTenant(cred.accountId, async (db) => {
        const row = await db('identity_email_verifications').where({ id: cred.id }).whereNull('used_at').where('expires_at', '>', db.fn.now()).forUpdate().first<{ user_id: string; secret_hash: Buffer } | undefined>();
        if (!row || !secretMatches(cred.secret, row.secret_hash)) throw invalid();
        await db('identity_email_verifications').where({ id: cred.id }).update({ used_at: db.fn.now() });
        await db('identity_users').where({ id: row.user_id }).update({ email_verified: true, updated_at: db.fn.now() });
        return { userId: row.user_id };
      });
    } catch (err) {
      if (err instanceof ProblemError && err.code === 'NOT_FOUND') throw invalid();
      throw err;
    }
  }
}
