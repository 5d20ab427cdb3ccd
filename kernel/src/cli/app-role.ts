import pg from 'pg';
import { quoteIdent } from '../db/roles.js';

/** What the owner connection can see about the app role before migrating. */
export interface AppRoleState {
  role: string;
  owner: string;
  exists: boolean;
  superuser: boolean;
  bypassRls: boolean;
  ownerCanCreateRoles: boolean;
  passwordConfigured: boolean;
}

export type AppRolePlan = { action: 'keep' } | { action: 'create' } | { action: 'refuse'; code: string; reason: string };

export const createAppRoleSql = (role: string) =>
  `CREATE ROLE ${quoteIdent(role)} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '<DATABASE_APP_PASSWORD>';`;

/**
 * The app role serves every request under row level security, so it must exist and must
 * not be able to bypass it. The owner creates it when allowed; otherwise the operator is
 * told the exact statement a DBA has to run.
 */
export function planAppRole(s: AppRoleState): AppRolePlan {
  if (s.exists) {
    if (!s.superuser && !s.bypassRls) return { action: 'keep' };
    return {
      action: 'refuse',
      code: 'APP_ROLE_BYPASSES_RLS',
      reason: `the app role "${s.role}" is ${s.superuser ? 'a superuser' : 'BYPASSRLS'} and would see every tenant's rows; a DBA must run: ALTER ROLE ${quoteIdent(s.role)} NOSUPERUSER NOBYPASSRLS;`,
    };
  }
  if (!s.ownerCanCreateRoles) {
    return {
      action: 'refuse',
      code: 'APP_ROLE_MISSING',
      reason: `the app role "${s.role}" does not exist and "${s.owner}" may not create roles; a DBA must run: ${createAppRoleSql(s.role)} then run "markettina migrate" again`,
    };
  }
  if (!s.passwordConfigured) {
    return {
      action: 'refuse',
      code: 'DATABASE_APP_PASSWORD_MISSING',
      reason: `the app role "${s.role}" does not exist yet; set DATABASE_APP_PASSWORD (or database.appPassword) so migrate can create it`,
    };
  }
  return { action: 'create' };
}

export async function inspectAppRole(ownerUrl: string, role: string, passwordConfigured: boolean): Promise<AppRoleState> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ owner: string; can_create: boolean; exists: boolean; superuser: boolean | null; bypass: boolean | null }>(
      `select current_user as owner,
              (select rolsuper or rolcreaterole from pg_roles where rolname = current_user) as can_create,
              r.rolname is not null as exists, r.rolsuper as superuser, r.rolbypassrls as bypass
         from (select 1) one left join pg_roles r on r.rolname = $1`,
      [role],
    );
    const row = rows[0]!;
    return {
      role,
      owner: row.owner,
      exists: row.exists,
      superuser: row.superuser ?? false,
      bypassRls: row.bypass ?? false,
      ownerCanCreateRoles: row.can_create,
      passwordConfigured,
    };
  } finally {
    await client.end();
  }
}
