import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ProblemError, problems, type TenancyService } from '@markettina/sdk';
import { newCredential, parseCredential, secretMatches } from '../domain/credentials.js';
import { hashPassword, needsRehash, verifyPassword, type ScryptCost } from '../domain/password.js';
import { judgeRefresh, successorExpiry } from '../domain/refresh.js';
import type { IdentityConfig } from '../config.js';
import { IDENTITY_PLUGIN_ID } from '../contracts.js';
import type { AccessTokens } from './access-tokens.js';
import type { TrustedDevices } from './devices.js';
import type { LoginThrottle } from './login-throttle.js';
import type { UserOut, UserStore } from './users.js';

export interface LoginInput {
  accountId: string;
  email: string;
  password: string;
  deviceToken?: string;
  trustDevice?: boolean;
  deviceName?: string;
  userAgent?: string;
}

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: string;
}

const invalidLogin = () => problems.unauthorized('the account, email or password is wrong', 'INVALID_CREDENTIALS');
const invalidRefresh = (reason: string) => problems.unauthorized(`the refresh token is not valid (${reason}); log in again`, 'INVALID_REFRESH_TOKEN');

/**
 * Logins and refresh-token families. Both are public routes, so each call opens its own
 * tenant transaction from the account id the request (or the token) names.
 */
export class Sessions {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly tenancy: TenancyService,
    private readonly users: UserStore,
    private readonly devices: TrustedDevices,
    private readonly throttle: LoginThrottle,
    private readonly tokens: AccessTokens,
    private readonly config: Pick<IdentityConfig, 'refreshTokenTtlSeconds'>,
    private readonly cost: ScryptCost,
  ) {}

  /** Opens `accountId` if identity is enabled there; an unknown account looks like a wrong password. */
  private async inAccount<T>(accountId: string, fn: (db: Knex.Transaction) => Promise<T>): Promise<T> {
    if (!(await this.tenancy.isEnabled(accountId, IDENTITY_PLUGIN_ID))) throw invalidLogin();
    try {
      return await this.tenancy.withTenant(accountId, fn);
    } catch (err) {
      if (err instanceof ProblemError && err.code === 'NOT_FOUND') throw invalidLogin();
      throw err;
    }
  }

  async login(input: LoginInput): Promise<TokenPair & { user: UserOut; deviceToken?: string }> {
    return this.inAccount(input.accountId, async (db) => {
      const device = input.deviceToken ? await this.devices.recognise(db, input.accountId, input.deviceToken) : undefined;
      const user = await this.users.findByEmail(db, input.email);
      const trusted = device && user && device.userId === user.id ? device.id : undefined;
      await this.throttle.spend(input.accountId, input.email, trusted);
      // Without a user, hash anyway: the response time must not tell which emails exist.
      this.dummyHash ??= hashPassword('not a password of anyone', this.cost);
      const ok = await verifyPassword(input.password, user?.passwordHash ?? (await this.dummyHash));
      if (!user || !ok || user.status !== 'active' || !user.passwordHash) throw invalidLogin();
      if (needsRehash(user.passwordHash, this.cost)) await this.users.setPasswordHash(db, user.id, await hashPassword(input.password, this.cost));

      let deviceId = trusted;
      let deviceToken: string | undefined;
      if (trusted) await this.devices.touch(db, trusted);
      else if (input.trustDevice) {
        const made = await this.devices.trust(db, input.accountId, user.id, input.deviceName ?? input.userAgent?.slice(0, 200) ?? '');
        deviceId = made.device.id;
        deviceToken = made.token;
      }
      const sessionId = randomUUID();
      const expiresAt = new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000);
      await db('identity_sessions').insert({ account_id: input.accountId, id: sessionId, user_id: user.id, device_id: deviceId ?? null, user_agent: input.userAgent?.slice(0, 500) ?? null, expires_at: expiresAt });
      const pair = await this.pair(db, input.accountId, user.id, sessionId, expiresAt);
      const { passwordHash: _hidden, ...shown } = user;
      return { ...pair, user: shown, ...(deviceToken ? { deviceToken } : {}) };
    });
  }

  private async pair(db: Knex.Transaction, accountId: string, userId: string, sessionId: string, refreshExpiresAt: Date): Promise<TokenPair> {
    const id = randomUUID();
    const { token, secretHash } = newCredential('refresh', id, accountId);
    await db('identity_refresh_tokens').insert({ account_id: accountId, id, session_id: sessionId, secret_hash: secretHash, expires_at: refreshExpiresAt });
    const access = await this.tokens.issue({ sub: userId, pty: 'user', acc: accountId, sid: sessionId });
    return { tokenType: 'Bearer', accessToken: access.token, expiresIn: access.expiresIn, refreshToken: token, refreshExpiresAt: refreshExpiresAt.toISOString() };
  }

  /** Rotates a refresh token. A reused one revokes its whole family; that revocation commits before the 401. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const cred = parseCredential(refreshToken, ['refresh']);
    if (!cred?.accountId) throw invalidRefresh('unknown');
    const accountId = cred.accountId;
    const outcome = await this.inAccount(accountId, async (db) => {
      const token = await db('identity_refresh_tokens').where({ id: cred.id }).forUpdate().first<{ session_id: string; secret_hash: Buffer; used_at: Date | null; expires_at: Date } | undefined>();
      const session = token
        ? await db('identity_sessions as s')
            .join('identity_users as u', function () {
              this.on('u.account_id', 's.account_id').andOn('u.id', 's.user_id');
            })
            .where('s.id', token.session_id)
            .first<{ user_id: string; revoked_at: Date | null; expires_at: Date; status: string } | undefined>('s.user_id', 's.revoked_at', 's.expires_at', 'u.status')
        : undefined;
      const verdict = judgeRefresh(
        token && { secretMatches: secretMatches(cred.secret, token.secret_hash), usedAt: token.used_at, expiresAt: token.expires_at },
        session && { revokedAt: session.revoked_at, expiresAt: session.expires_at, userActive: session.status === 'active' },
        new Date(),
      );
      if (verdict.kind === 'reuse') {
        await this.revokeSession(db, token!.session_id, 'refresh_token_reused');
        return verdict;
      }
      if (verdict.kind === 'invalid') return verdict;
      await db('identity_refresh_tokens').where({ id: cred.id }).update({ used_at: db.fn.now() });
      await db('identity_sessions').where({ id: token!.session_id }).update({ last_refreshed_at: db.fn.now() });
      const expiresAt = successorExpiry(new Date(), this.config.refreshTokenTtlSeconds, session!.expires_at);
      return { kind: 'rotated' as const, pair: await this.pair(db, accountId, session!.user_id, token!.session_id, expiresAt) };
    });
    if (outcome.kind === 'rotated') return outcome.pair;
    if (outcome.kind === 'reuse') {
      throw problems.unauthorized('this refresh token was already used, so the session may be stolen; it is revoked, log in again', 'REFRESH_TOKEN_REUSED');
    }
    throw invalidRefresh(outcome.reason);
  }

  /** Logout: revokes the family of a refresh token. Unknown tokens are ignored (RFC 7009). */
  async revoke(refreshToken: string): Promise<void> {
    const cred = parseCredential(refreshToken, ['refresh']);
    if (!cred?.accountId) return;
    await this.inAccount(cred.accountId, async (db) => {
      const token = await db('identity_refresh_tokens').where({ id: cred.id }).first<{ session_id: string; secret_hash: Buffer } | undefined>();
      if (token && secretMatches(cred.secret, token.secret_hash)) await this.revokeSession(db, token.session_id, 'logout');
    }).catch((err: unknown) => {
      if (!(err instanceof ProblemError && err.code === 'INVALID_CREDENTIALS')) throw err;
    });
  }

  async revokeSession(db: Knex.Transaction, sessionId: string, reason: string): Promise<void> {
    await db('identity_sessions').where({ id: sessionId }).whereNull('revoked_at').update({ revoked_at: db.fn.now(), revoked_reason: reason });
  }

  async revokeUserSessions(db: Knex.Transaction, userId: string, reason: string): Promise<number> {
    return db('identity_sessions').where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: db.fn.now(), revoked_reason: reason });
  }
}
