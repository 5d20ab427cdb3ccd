import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PERMISSION_DECLARATIONS } from '../../src/contracts.js';
import { coveredBy, customRoleProblems, grants, isPermissionPattern, patternProblems, resolvePermissions, within, type CatalogPermission } from '../../src/domain/permissions.js';
import { BUILTIN_ROLES, type BuiltinRoleKey } from '../../src/domain/roles.js';

/** A deployment: the kernel's permissions, identity's and a few business plugins'. */
export const CATALOGUE: CatalogPermission[] = [
  { id: 'kernel.events:admin' },
  { id: 'kernel.flags:admin', platform: true },
  { id: 'kernel.flags:evaluate' },
  ...PERMISSION_DECLARATIONS,
  ...['leads:read', 'leads:write', 'leads:delete', 'quotes:read', 'quotes:write'].map((p) => ({ id: `crm.${p}` })),
  ...['posts:read', 'posts:write', 'posts:publish', 'templates:read', 'templates:write'].map((p) => ({ id: `content.${p}` })),
  ...['campaigns:read', 'campaigns:write', 'budgets:write'].map((p) => ({ id: `campaigns.${p}` })),
  ...['metrics:read'].map((p) => ({ id: `analytics.${p}` })),
];

/** What the kernel does with a principal's list (sdk hasPermission), for tenant principals. */
function kernelAllows(held: string[], permission: string): boolean {
  if (CATALOGUE.some((p) => p.platform && p.id === permission)) return false;
  return held.includes('*') || held.includes(permission) || held.includes(`${permission.split('.')[0]}.*`);
}

const roleHolds = (role: BuiltinRoleKey) => {
  const def = BUILTIN_ROLES[role];
  return resolvePermissions(def.grants, CATALOGUE, 'except' in def ? def.except : []);
};

/**
 * The built-in roles of seed 004, permission by permission: Y allowed, . denied. Columns:
 * super_admin, admin, sales, marketing, editor, viewer.
 */
const MATRIX: [string, string][] = [
  ['identity.account:read', 'YYYYYY'],
  ['identity.accounts:read', 'YY...Y'],
  ['identity.accounts:write', 'Y.....'],
  ['identity.accounts:switch', 'YY....'],
  ['identity.users:read', 'YY....'],
  ['identity.users:write', 'YY....'],
  ['identity.roles:read', 'YY...Y'],
  ['identity.roles:write', 'YY....'],
  ['identity.api-keys:read', 'YY....'],
  ['identity.api-keys:write', 'YY....'],
  ['identity.platform:admin', '......'],
  ['kernel.flags:admin', '......'],
  ['kernel.events:admin', 'YY....'],
  ['kernel.flags:evaluate', 'YY....'],
  ['crm.leads:read', 'YYYY.Y'],
  ['crm.leads:write', 'YYY...'],
  ['crm.leads:delete', 'YY....'],
  ['crm.quotes:write', 'YYY...'],
  ['content.posts:read', 'YY.YYY'],
  ['content.posts:write', 'YY.YY.'],
  ['content.posts:publish', 'YY....'],
  ['campaigns.campaigns:read', 'YY.YYY'],
  ['campaigns.campaigns:write', 'YY.Y..'],
  ['campaigns.budgets:write', 'YY.Y..'],
  ['analytics.metrics:read', 'YY.Y.Y'],
];
const ROLES: BuiltinRoleKey[] = ['super_admin', 'admin', 'sales', 'marketing', 'editor', 'viewer'];

describe('permissions', () => {
  describe('built-in role matrix', () => {
    for (const [permission, row] of MATRIX) {
      test(permission, () => {
        const actual = ROLES.map((r) => (kernelAllows(roleHolds(r), permission) ? 'Y' : '.')).join('');
        assert.equal(actual, row, `columns: ${ROLES.join(', ')}`);
      });
    }

    test('super admin keeps `*`, so plugins installed later are covered; no role resolves to a platform permission', () => {
      assert.deepEqual(roleHolds('super_admin'), ['*']);
      for (const r of ROLES) assert.ok(!roleHolds(r).some((p) => p === 'kernel.flags:admin' || p === 'identity.platform:admin'), r);
    });
  });

  test('patterns: three parts, each a name or *', () => {
    for (const p of ['*', 'crm.*', '*:read', 'crm.*:read', 'crm.leads:*', '*.leads:read', 'crm.leads:read']) assert.ok(isPermissionPattern(p), p);
    for (const p of ['', '**', 'crm', 'crm.', 'crm.leads', 'CRM.leads:read', 'crm.leads:read:x', 'crm.*.*', ' crm.leads:read']) assert.ok(!isPermissionPattern(p), p);
  });

  test('within and grants compare part by part', () => {
    assert.ok(within('crm.leads:read', '*'));
    assert.ok(within('crm.leads:read', 'crm.*'));
    assert.ok(within('crm.leads:read', '*:read'));
    assert.ok(within('crm.*:read', 'crm.*'));
    assert.ok(!within('crm.*', 'crm.*:read'));
    assert.ok(!within('*', 'crm.*'));
    assert.ok(!within('crm.leads:write', '*:read'));
    assert.ok(grants(['content.*:write', 'crm.leads:read'], 'crm.leads:read'));
    assert.ok(!grants(['content.*:write'], 'content.posts:read'));
  });

  test('nobody hands out more than they hold', () => {
    const admin = roleHolds('admin');
    assert.ok(coveredBy(['crm.leads:read', 'content.posts:write'], admin, CATALOGUE));
    assert.ok(coveredBy(['*:read'], admin, CATALOGUE), 'every read the catalogue has');
    assert.ok(!coveredBy(['*'], admin, CATALOGUE), '* also covers plugins installed later');
    assert.ok(!coveredBy(['crm.*'], admin, CATALOGUE));
    assert.ok(!coveredBy(['identity.accounts:write'], admin, CATALOGUE));
    assert.ok(coveredBy(['*'], ['*'], CATALOGUE));
    assert.ok(!coveredBy(['crm.leads:write'], roleHolds('viewer'), CATALOGUE));
    assert.ok(!coveredBy(['nothing.declared:read'], admin, CATALOGUE), 'an unknown permission cannot be derived from the catalogue');
  });

  test('key scopes and custom roles are checked against the catalogue', () => {
    assert.deepEqual(patternProblems(['crm.*:read', '*'], CATALOGUE), []);
    assert.equal(patternProblems(['kernel.flags:admin', 'bad pattern'], CATALOGUE).length, 2);
    assert.deepEqual(customRoleProblems(['crm.leads:read'], CATALOGUE), []);
    assert.deepEqual(customRoleProblems(['crm.*', 'crm.nope:read', 'identity.platform:admin'], CATALOGUE), [
      '"crm.*" is not a permission declared by an installed plugin',
      '"crm.nope:read" is not a permission declared by an installed plugin',
      '"identity.platform:admin" is a platform permission; only platform administrators hold it',
    ]);
  });

  test('resolution keeps kernel-native forms and expands the rest', () => {
    assert.deepEqual(resolvePermissions(['crm.*', 'content.posts:read'], CATALOGUE), ['content.posts:read', 'crm.*']);
    assert.deepEqual(resolvePermissions(['*:write'], CATALOGUE).filter((p) => p.startsWith('crm.')), ['crm.leads:write', 'crm.quotes:write']);
    assert.deepEqual(resolvePermissions(['kernel.flags:admin'], CATALOGUE), []);
    assert.deepEqual(resolvePermissions(['*'], CATALOGUE, ['crm.*']).filter((p) => p.startsWith('crm.')), []);
  });
});
