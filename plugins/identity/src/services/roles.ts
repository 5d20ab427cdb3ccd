import type { Knex } from 'knex';
import { problems } from '@markettina/sdk';
import { BUILTIN_ROLES, BUILTIN_ROLE_KEYS, isBuiltinRole, ROLE_KEY } from '../domain/roles.js';
import { coveredBy, customRoleProblems } from '../domain/permissions.js';
import type { PermissionCatalog } from './catalog.js';
import { isUniqueViolation } from './pagination.js';

export interface RoleRow {
  account_id: string;
  id: string;
  key: string;
  name: string;
  description: string;
  builtin: boolean;
  permissions: string[];
  created_at: Date;
  updated_at: Date;
}

export interface RoleView {
  id: string;
  key: string;
  name: string;
  description: string;
  builtin: boolean;
  /** What the role is defined as: declared permissions, or a built-in role's patterns. */
  definition: { grants: string[]; except: string[] };
  /** What it grants with the plugins installed now. */
  permissions: string[];
  createdAt: string;
  updatedAt: string;
}

export interface RoleInput {
  key: string;
  name: string;
  description?: string;
  permissions: string[];
}

const roleNotFound = () => problems.notFound('role');

/** Built-in roles (rows pointing at the definitions in code) and each account's custom roles. */
export class RoleStore {
  constructor(private readonly catalog: PermissionCatalog) {}

  view(row: RoleRow): RoleView {
    const def = row.builtin && isBuiltinRole(row.key) ? BUILTIN_ROLES[row.key] : undefined;
    return {
      id: row.id,
      key: row.key,
      name: row.name,
      description: row.description,
      builtin: row.builtin,
      definition: def ? { grants: [...def.grants], except: 'except' in def ? [...def.except] : [] } : { grants: [...row.permissions], except: [] },
      permissions: this.catalog.ofRole(row),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  /** Gives an account the built-in roles (idempotent). */
  async ensureBuiltins(db: Knex.Transaction, accountId: string): Promise<void> {
    const rows = BUILTIN_ROLE_KEYS.map((key) => ({ account_id: accountId, key, name: BUILTIN_ROLES[key].name, description: BUILTIN_ROLES[key].description, builtin: true }));
    await db('identity_roles').insert(rows).onConflict(['account_id', 'key']).ignore();
  }

  async list(db: Knex.Transaction): Promise<RoleView[]> {
    const rows = await db<RoleRow>('identity_roles').orderBy([{ column: 'builtin', order: 'desc' }, { column: 'key' }]);
    return rows.map((r) => this.view(r));
  }

  async row(db: Knex.Transaction, id: string): Promise<RoleRow> {
    const row = await db<RoleRow>('identity_roles').where({ id }).first();
    if (!row) throw roleNotFound();
    return row;
  }

  async rowByKey(db: Knex.Transaction, key: string): Promise<RoleRow | undefined> {
    return db<RoleRow>('identity_roles').where({ key }).first();
  }

  /** A role someone holding `held` may give to others (or to a role they define). */
  assertGrantable(permissions: readonly string[], held: readonly string[]): void {
    if (!coveredBy(permissions, held, this.catalog.all())) {
      throw problems.forbidden('a role can only grant permissions you hold yourself', 'PERMISSION_ESCALATION');
    }
  }

  private checkPermissions(permissions: string[]): void {
    const found = customRoleProblems(permissions, this.catalog.all());
    if (found.length) throw problems.invalid('ROLE_PERMISSIONS_INVALID', found.join('; '), { problems: found });
  }

  async create(db: Knex.Transaction, accountId: string, input: RoleInput, held: readonly string[]): Promise<RoleView> {
    if (isBuiltinRole(input.key) || !ROLE_KEY.test(input.key)) throw problems.invalid('ROLE_KEY_INVALID', `"${input.key}" is a built-in role key or not a valid key`);
    const permissions = [...new Set(input.permissions)].sort();
    this.checkPermissions(permissions);
    this.assertGrantable(permissions, held);
    try {
      const [row] = await db<RoleRow>('identity_roles')
        .insert({ account_id: accountId, key: input.key, name: input.name, description: input.description ?? '', permissions })
        .returning('*');
      return this.view(row!);
    } catch (err) {
      if (isUniqueViolation(err, 'identity_roles_account_id_key_key')) {
        throw problems.conflict('ROLE_KEY_TAKEN', `this account already has a role "${input.key}"`);
      }
      throw err;
    }
  }

  async update(db: Knex.Transaction, id: string, patch: Partial<Omit<RoleInput, 'key'>>, held: readonly string[]): Promise<RoleView> {
    const current = await this.row(db, id);
    if (current.builtin) throw problems.conflict('ROLE_BUILTIN', 'built-in roles cannot be changed; create a custom role instead');
    const changes: Record<string, unknown> = { updated_at: db.fn.now() };
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.description !== undefined) changes.description = patch.description;
    if (patch.permissions !== undefined) {
      const permissions = [...new Set(patch.permissions)].sort();
      this.checkPermissions(permissions);
      this.assertGrantable([...permissions, ...current.permissions], held);
      changes.permissions = permissions;
    }
    const [row] = (await db('identity_roles').where({ id }).update(changes).returning('*')) as RoleRow[];
    return this.view(row!);
  }

  async remove(db: Knex.Transaction, id: string, held: readonly string[]): Promise<void> {
    const current = await this.row(db, id);
    if (current.builtin) throw problems.conflict('ROLE_BUILTIN', 'built-in roles cannot be deleted');
    this.assertGrantable(current.permissions, held);
    const inUse = await db('identity_users').where({ role_id: id }).first('id');
    if (inUse) throw problems.conflict('ROLE_IN_USE', 'users still have this role; give them another role first');
    await db('identity_roles').where({ id }).delete();
  }
}
