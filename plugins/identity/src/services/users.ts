import type { Knex } from 'knex';
import { ProblemError, problems, type EventBus } from '@markettina/sdk';
import { EVENTS, type UserView } from '../contracts.js';
import { normalizeEmail } from '../domain/email.js';
import { hashPassword, passwordProblems, type ScryptCost } from '../domain/password.js';
import type { PermissionCatalog } from './catalog.js';
import { isUniqueViolation, newestFirst, type Page, type PageRequest } from './pagination.js';
import type { RoleRow, RoleStore } from './roles.js';

export interface UserRow {
  account_id: string;
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  email_verified: boolean;
  role_id: string;
  status: 'active' | 'disabled';
  created_at: Date;
  updated_at: Date;
}

export interface UserOut extends UserView {
  role: { id: string; key: string };
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  email: string;
  displayName?: string;
  password?: string;
  roleId: string;
}

export interface UserPatch {
  displayName?: string;
  status?: 'active' | 'disabled';
  roleId?: string;
  password?: string;
}

const USER_COLUMNS = ['u.*', 'r.key as role_key'];
type JoinedRow = UserRow & { role_key: string };

export const userView = (row: JoinedRow): UserOut => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  emailVerified: row.email_verified,
  roleKey: row.role_key,
  role: { id: row.role_id, key: row.role_key },
  status: row.status,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Users of the tenant the transaction is bound to. Assigning a role is checked against the assigner's own permissions. */
export class UserStore {
  constructor(
    private readonly roles: RoleStore,
    private readonly catalog: PermissionCatalog,
    private readonly events: EventBus,
    private readonly cost: ScryptCost,
  ) {}

  private joined(db: Knex.Transaction) {
    return db('identity_users as u').join('identity_roles as r', function () {
      this.on('r.account_id', 'u.account_id').andOn('r.id', 'u.role_id');
    });
  }

  async get(db: Knex.Transaction, id: string): Promise<UserOut> {
    const row = (await this.joined(db).where('u.id', id).first(USER_COLUMNS)) as JoinedRow | undefined;
    if (!row) throw problems.notFound('user');
    return userView(row);
  }

  async findByEmail(db: Knex.Transaction, email: string): Promise<(UserOut & { passwordHash: string | null }) | undefined> {
    const row = (await this.joined(db).where('u.email', normalizeEmail(email)).first(USER_COLUMNS)) as JoinedRow | undefined;
    return row && { ...userView(row), passwordHash: row.password_hash };
  }

  list(db: Knex.Transaction, page: PageRequest): Promise<Page<UserOut>> {
    return newestFirst<JoinedRow, UserOut>(this.joined(db).select(USER_COLUMNS), page, userView, 'u');
  }

  private async grantableRole(db: Knex.Transaction, roleId: string, held: readonly string[]): Promise<RoleRow> {
    const role = await db<RoleRow>('identity_roles').where({ id: roleId }).first();
    // A 404 like any other id of another account: the caller cannot tell whether it exists elsewhere.
    if (!role) throw new ProblemError({ status: 404, code: 'ROLE_NOT_FOUND', title: 'role not found', detail: 'no role with this id in the account' });
    this.roles.assertGrantable(this.catalog.ofRole(role), held);
    return role;
  }

  private async passwordHash(password: string | undefined, email: string): Promise<string | null> {
    if (password === undefined) return null;
    const found = passwordProblems(password, { email });
    if (found.length) throw problems.invalid('PASSWORD_TOO_WEAK', found.join('; '), { problems: found });
    return hashPassword(password, this.cost);
  }

  /** Registers a user; publishes UserRegistered in the same transaction. */
  async create(db: Knex.Transaction, accountId: string, input: NewUser, held: readonly string[]): Promise<UserOut> {
    const email = normalizeEmail(input.email);
    const role = await this.grantableRole(db, input.roleId, held);
    const password_hash = await this.passwordHash(input.password, email);
    let row: UserRow;
    try {
      [row] = (await db<UserRow>('identity_users')
        .insert({ account_id: accountId, email, display_name: input.displayName ?? '', password_hash, role_id: role.id })
        .returning('*')) as [UserRow];
    } catch (err) {
      if (isUniqueViolation(err, 'identity_users_account_id_email_key')) throw problems.conflict('EMAIL_TAKEN', 'a user with this email already exists in the account');
      throw err;
    }
    await this.events.publish(db, { type: EVENTS.userRegistered, aggregateId: row.id, subject: `users/${row.id}`, data: { userId: row.id, email, roleKey: role.key } });
    return userView({ ...row, role_key: role.key });
  }

  /** Changes a user; a role change is checked against the caller and publishes UserRoleChanged. */
  async update(db: Knex.Transaction, id: string, patch: UserPatch, held: readonly string[]): Promise<UserOut> {
    const current = await this.get(db, id);
    // Whoever changes a user must be able to grant that user's current role: no taking over a super admin.
    this.roles.assertGrantable(this.catalog.ofRole(await this.roles.row(db, current.role.id)), held);
    const changes: Record<string, unknown> = { updated_at: db.raw('now()') };
    if (patch.displayName !== undefined) changes.display_name = patch.displayName;
    if (patch.status !== undefined) changes.status = patch.status;
    if (patch.password !== undefined) changes.password_hash = await this.passwordHash(patch.password, current.email);
    let newRole: RoleRow | undefined;
    if (patch.roleId !== undefined && patch.roleId !== current.role.id) {
      newRole = await this.grantableRole(db, patch.roleId, held);
      changes.role_id = newRole.id;
    }
    await db('identity_users').where({ id }).update(changes);
    if (patch.status === 'disabled' || patch.password !== undefined) {
      await db('identity_sessions').where({ user_id: id }).whereNull('revoked_at').update({ revoked_at: db.raw('now()'), revoked_reason: 'user_changed' });
    }
    if (newRole) {
      await this.events.publish(db, { type: EVENTS.userRoleChanged, aggregateId: id, subject: `users/${id}`, data: { userId: id, from: current.role.key, to: newRole.key } });
    }
    return this.get(db, id);
  }

  async setPasswordHash(db: Knex.Transaction, id: string, hash: string): Promise<void> {
    await db('identity_users').where({ id }).update({ password_hash: hash });
  }
}
