import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { problems, type Principal, type RateLimiter, type SecretBox, type TenancyService } from '@markettina/sdk';
import type { IdentityConfig } from '../config.js';
import { newCredential, secretMatches, type Credential } from '../domain/credentials.js';
import { emailBucket, normalizeEmail } from '../domain/email.js';
import { hashPassword, passwordProblems, verifyPassword, type ScryptCost } from '../domain/password.js';
import { base32Encode, newTotpSecret, otpauthUri, verifyTotp } from '../domain/totp.js';
import type { AdminAudit } from './audit.js';
import { isUniqueViolation } from './pagination.js';
import type { Platform } from './platform.js';
import { LoginThrottle } from './login-throttle.js';

interface AdminRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  totp_secret: string;
  totp_last_step: string;
  status: 'active' | 'disabled';
  created_at: Date;
  updated_at: Date;
}

export interface AdminView {
  id: string;
  email: string;
  displayName: string;
  status: 'active' | 'disabled';
  createdAt: string;
}

const view = (r: AdminRow): AdminView => ({ id: r.id, email: r.email, displayName: r.display_name, status: r.status, createdAt: r.created_at.toISOString() });
const invalidLogin = () => problems.unauthorized('the email, password or one-time code is wrong', 'INVALID_CREDENTIALS');
const sealContext = (adminId: string) => `identity:totp:${adminId}`;

/**
 * Platform administrators: separate from tenant users, always with TOTP (RFC 6238), each
 * login a session of its own. A code is accepted once: the step it belongs to must be later
 * than the last accepted one.
 */
export class Admins {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly tenancy: TenancyService,
    private readonly secrets: SecretBox,
    private readonly platform: Platform,
    private readonly audit: AdminAudit,
    limiter: RateLimiter,
    private readonly config: Pick<IdentityConfig, 'adminSessionTtlSeconds' | 'issuer' | 'login'>,
    private readonly cost: ScryptCost,
  ) {
    this.throttle = new LoginThrottle(limiter, config.login);
  }

  /** Creates an administrator; the TOTP secret is returned once, for the authenticator app. */
  async create(db: Knex.Transaction, input: { email: string; displayName?: string; password: string }): Promise<{ admin: AdminView; totp: { secret: string; uri: string } }> {
    const email = normalizeEmail(input.email);
    const found = passwordProblems(input.password, { email });
    if (found.length) throw problems.invalid('PASSWORD_TOO_WEAK', found.join('; '), { problems: found });
    await this.platform.ensureOperatorsAccount(db);
    const id = randomUUID();
    const secret = newTotpSecret();
    try {
      const [row] = await db<AdminRow>('identity_admin_users')
        .insert({ id, email, display_name: input.displayName ?? '', password_hash: await hashPassword(input.password, this.cost), totp_secret: this.secrets.seal(secret.toString('base64'), sealContext(id)) })
        .returning('*');
      return { admin: view(row!), totp: { secret: base32Encode(secret), uri: otpauthUri(secret, email, this.config.issuer) } };
    } catch (err) {
      if (isUniqueViolation(err, 'identity_admin_users_email_key')) throw problems.conflict('EMAIL_TAKEN', 'an administrator with this email already exists');
      throw err;
    }
  }

  async list(db: Knex.Transaction): Promise<AdminView[]> {
    return (await db<AdminRow>('identity_admin_users').orderBy('created_at')).map(view);
  }

  async setStatus(db: Knex.Transaction, id: string, status: AdminView['status']): Promise<AdminView> {
    const [row] = await db<AdminRow>('identity_admin_users').where({ id }).update({ status, updated_at: db.fn.now() as never }).returning('*');
    if (!row) throw problems.notFound('administrator');
    if (status === 'disabled') await db('identity_admin_sessions').where({ admin_id: id }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
    return view(row);
  }

  /** Password and one-time code; every attempt is audited, failures in a transaction of their own. */
  async login(input: { email: string; password: string; code: string }, at: number, requestId: string): Promise<{ token: string; expiresAt: string; admin: AdminView }> {
    const operators = await this.platform.operatorsAccount();
    if (!operators) throw invalidLogin();
    const email = normalizeEmail(input.email);
    await this.throttle.spend(operators, `admin:${email}`);
    const failed = async (adminId: string | null, reason: string) => {
      await this.audit.recordAlone({ adminId, action: 'admin.login', outcome: 'failure', details: { email, reason }, requestId });
      return invalidLogin();
    };
    const row = await this.tenancy.withoutTenant((db) => db<AdminRow>('identity_admin_users').where({ email }).first());
    const passwordOk = row ? await verifyPassword(input.password, row.password_hash) : false;
    if (!row || !passwordOk || row.status !== 'active') throw await failed(row?.id ?? null, row ? (passwordOk ? 'disabled' : 'password') : 'unknown_email');
    const secret = Buffer.from(this.secrets.open(row.totp_secret, sealContext(row.id)), 'base64');
    const step = verifyTotp(secret, input.code, at, { afterStep: Number(row.totp_last_step) });
    if (step === undefined) throw await failed(row.id, 'totp');
    const session = await this.tenancy.withoutTenant(async (db) => {
      // Claiming the step is the replay guard: two logins with one code cannot both move it forward.
      const claimed = await db('identity_admin_users').where({ id: row.id }).andWhere('totp_last_step', '<', step).update({ totp_last_step: step });
      if (!claimed) return undefined;
      const id = randomUUID();
      const { token, secretHash } = newCredential('admin_session', id);
      const expiresAt = new Date(at + this.config.adminSessionTtlSeconds * 1000);
      await db('identity_admin_sessions').insert({ id, admin_id: row.id, secret_hash: secretHash, expires_at: expiresAt });
      await this.audit.record(db, { adminId: row.id, action: 'admin.login', outcome: 'success', target: `admin-sessions/${id}`, requestId });
      return { token, expiresAt: expiresAt.toISOString(), admin: view(row) };
    });
    if (!session) throw await failed(row.id, 'totp_replayed');
    return session;
  }

  /** The principal of a live admin session. */
  async principal(credential: Credential): Promise<Principal | undefined> {
    const operators = await this.platform.operatorsAccount();
    if (!operators) return undefined;
    const row = await this.tenancy.withoutTenant((db) =>
      db('identity_admin_sessions as s')
        .join('identity_admin_users as a', 'a.id', 's.admin_id')
        .where('s.id', credential.id)
        .whereNull('s.revoked_at')
        .where('s.expires_at', '>', db.fn.now())
        .where('a.status', 'active')
        .first<{ admin_id: string; secret_hash: Buffer } | undefined>('s.admin_id', 's.secret_hash'),
    );
    if (!row || !secretMatches(credential.secret, row.secret_hash)) return undefined;
    return { id: row.admin_id, type: 'admin', accountId: operators, permissions: ['*'] };
  }

  async logout(db: Knex.Transaction, credential: Credential): Promise<void> {
    await db('identity_admin_sessions').where({ id: credential.id }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
  }
}

