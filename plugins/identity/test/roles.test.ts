import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestKernel, TestTenant } from '@markettina/sdk/testing';
import { as, startIdentityKit, STRONG_PASSWORD } from './fixtures/kit.js';
import { addUser, login } from './fixtures/people.js';

/** Real users of each built-in role, logged in, calling real routes: Y allowed, . 403. */
const ROUTES: [string, 'GET' | 'POST', string, object | undefined][] = [
  ['read leads', 'GET', '/v1/crm/leads', undefined],
  ['write leads', 'POST', '/v1/crm/leads', {}],
  ['list users', 'GET', '/v1/identity/users', undefined],
  ['list API keys', 'GET', '/v1/identity/api-keys', undefined],
  ['list roles', 'GET', '/v1/identity/roles', undefined],
  ['list sub-accounts', 'GET', '/v1/identity/accounts', undefined],
  ['create a sub-account', 'POST', '/v1/identity/accounts', { name: 'Sub' }],
  ['read the account', 'GET', '/v1/identity/account', undefined],
  ['administer the platform', 'GET', '/v1/identity/admin/plugins', undefined],
];
const EXPECTED: Record<string, string> = {
  super_admin: 'YYYYYYYY.',
  admin: 'YYYYYY.Y.',
  sales: 'YY.....Y.',
  marketing: 'Y......Y.',
  editor: '.......Y.',
  viewer: 'Y...YY.Y.',
};

describe('roles', () => {
  let kit: TestKernel;
  let tenant: TestTenant;
  before(async () => {
    kit = await startIdentityKit();
    tenant = await kit.createTenant();
  });
  after(() => kit?.close());

  const owner = () => tenant.as(['*']);
  const roleId = async (key: string) => ((await owner().inject({ method: 'GET', url: '/v1/identity/roles' })).json().items as { id: string; key: string }[]).find((r) => r.key === key)!.id;

  for (const [role, row] of Object.entries(EXPECTED)) {
    test(`built-in role ${role}: ${ROUTES.map((r) => r[0]).join(', ')}`, async () => {
      const user = await addUser(tenant, role);
      const { accessToken } = await login(kit, user);
      const call = as(kit, accessToken);
      let actual = '';
      for (const [, method, url, payload] of ROUTES) {
        const res = await call({ method, url, ...(payload ? { payload } : {}) });
        assert.ok([200, 201, 403].includes(res.statusCode), `${method} ${url}: ${res.statusCode} ${res.body}`);
        actual += res.statusCode === 403 ? '.' : 'Y';
      }
      assert.equal(actual, row);
    });
  }

  test('roles are listed with their definition and what they grant now', async () => {
    const roles = (await owner().inject({ method: 'GET', url: '/v1/identity/roles' })).json().items as { key: string; builtin: boolean; definition: { grants: string[] }; permissions: string[] }[];
    assert.deepEqual(roles.filter((r) => r.builtin).map((r) => r.key).sort(), ['admin', 'editor', 'marketing', 'sales', 'super_admin', 'viewer']);
    const viewer = roles.find((r) => r.key === 'viewer')!;
    assert.deepEqual(viewer.definition.grants, ['*:read']);
    assert.ok(viewer.permissions.includes('crm.leads:read') && !viewer.permissions.includes('identity.users:read'));
    const perms = (await owner().inject({ method: 'GET', url: '/v1/identity/permissions' })).json().items as { id: string }[];
    assert.ok(perms.some((p) => p.id === 'crm.quotes:write'));
    assert.ok(!perms.some((p) => p.id === 'identity.platform:admin' || p.id === 'kernel.flags:admin'), 'platform permissions are not offered to tenants');
  });

  test('a custom role is made of declared permissions and applies to its users at once', async () => {
    const created = await owner().inject({ method: 'POST', url: '/v1/identity/roles', payload: { key: 'lead-reader', name: 'Lead reader', permissions: ['crm.leads:read'] } });
    assert.equal(created.statusCode, 201, created.body);
    const role = created.json();
    assert.deepEqual(role.permissions, ['crm.leads:read']);
    const user = await addUser(tenant, 'lead-reader');
    const { accessToken } = await login(kit, user);
    assert.equal((await as(kit, accessToken)({ method: 'GET', url: '/v1/crm/leads' })).statusCode, 200);
    assert.equal((await as(kit, accessToken)({ method: 'POST', url: '/v1/crm/leads', payload: {} })).statusCode, 403);

    await owner().inject({ method: 'PATCH', url: `/v1/identity/roles/${role.id}`, payload: { permissions: ['crm.leads:read', 'crm.leads:write'] } });
    assert.equal((await as(kit, accessToken)({ method: 'POST', url: '/v1/crm/leads', payload: {} })).statusCode, 200, 'no new login needed');

    assert.equal((await owner().inject({ method: 'DELETE', url: `/v1/identity/roles/${role.id}` })).json().code, 'ROLE_IN_USE');
    const bad = await owner().inject({ method: 'POST', url: '/v1/identity/roles', payload: { key: 'bad', name: 'Bad', permissions: ['crm.*', 'crm.nothing:read'] } });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().code, 'ROLE_PERMISSIONS_INVALID');
    const dup = await owner().inject({ method: 'POST', url: '/v1/identity/roles', payload: { key: 'lead-reader', name: 'Again', permissions: [] } });
    assert.equal(dup.statusCode, 409);
    const builtin = await owner().inject({ method: 'POST', url: '/v1/identity/roles', payload: { key: 'admin', name: 'Mine', permissions: [] } });
    assert.equal(builtin.json().code, 'ROLE_KEY_INVALID');
    assert.equal((await owner().inject({ method: 'DELETE', url: `/v1/identity/roles/${await roleId('viewer')}` })).json().code, 'ROLE_BUILTIN');
  });

  test('nobody grants more than they hold: roles, role assignments, and changes to stronger users', async () => {
    const admin = await addUser(tenant, 'admin');
    const call = as(kit, (await login(kit, admin)).accessToken);
    const superAdminRole = await roleId('super_admin');

    const promote = await call({ method: 'POST', url: '/v1/identity/users', payload: { email: 'climber@example.com', password: STRONG_PASSWORD, roleId: superAdminRole } });
    assert.equal(promote.statusCode, 403);
    assert.equal(promote.json().code, 'PERMISSION_ESCALATION');
    const self = await call({ method: 'PATCH', url: `/v1/identity/users/${admin.id}`, payload: { roleId: superAdminRole } });
    assert.equal(self.json().code, 'PERMISSION_ESCALATION');
    const role = await call({ method: 'POST', url: '/v1/identity/roles', payload: { key: 'creator', name: 'Creator', permissions: ['identity.accounts:write'] } });
    assert.equal(role.json().code, 'PERMISSION_ESCALATION');

    const boss = await addUser(tenant, 'super_admin');
    const takeover = await call({ method: 'PATCH', url: `/v1/identity/users/${boss.id}`, payload: { password: 'a brand new password 1' } });
    assert.equal(takeover.statusCode, 403, 'an admin cannot reset a super admin’s password');

    const peer = await call({ method: 'POST', url: '/v1/identity/users', payload: { email: 'peer@example.com', roleId: await roleId('admin') } });
    assert.equal(peer.statusCode, 201, 'an admin may add another admin');
  });

  test('user input is checked: unique email per account, password policy, existing role', async () => {
    const viewer = await roleId('viewer');
    const add = (payload: object) => owner().inject({ method: 'POST', url: '/v1/identity/users', payload });
    assert.equal((await add({ email: 'same@example.com', roleId: viewer })).statusCode, 201);
    const dup = await add({ email: 'SAME@example.com', roleId: viewer });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'EMAIL_TAKEN');
    const other = await kit.createTenant();
    const roles = (await other.as(['*']).inject({ method: 'GET', url: '/v1/identity/roles' })).json().items as { id: string; key: string }[];
    const elsewhere = await other.as(['*']).inject({ method: 'POST', url: '/v1/identity/users', payload: { email: 'same@example.com', roleId: roles.find((r) => r.key === 'viewer')!.id } });
    assert.equal(elsewhere.statusCode, 201, 'the same email in another account is another user');
    const weak = await add({ email: 'weak@example.com', password: 'short', roleId: viewer });
    assert.equal(weak.json().code, 'PASSWORD_TOO_WEAK');
    const foreignRole = await add({ email: 'x@example.com', roleId: roles[0]!.id });
    assert.equal(foreignRole.json().code, 'ROLE_NOT_FOUND', 'a role of another account does not exist here');
  });
});
