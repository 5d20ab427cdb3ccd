import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TestKernel } from '@markettina/sdk/testing';
import { newCredential, parseCredential } from '../src/domain/credentials.js';
import { as, startIdentityKit, STRONG_PASSWORD } from './fixtures/kit.js';
import { addUser, login, me, type Person, type Tokens } from './fixtures/people.js';

interface World {
  a: { accountId: string; user: Person; tokens: Tokens; roleId: string; keyId: string; keyPrefix: string; deviceId: string; childId: string; secrets: string[] };
  b: { accountId: string; user: Person; superKey: string; roleId: string };
}

type Expect = 'refused' | 'own-data-only';
interface Case {
  request: (w: World) => InjectOptions;
  /** `refused`: 403 or 404. `own-data-only`: allowed, and nothing of account A in the answer. */
  expect: Expect;
  /** Who calls: B's all-permission key (default), B's user session, or nobody (public routes). */
  caller?: 'key' | 'session' | 'public';
}

/**
 * Account B, holding every tenant permission, aims at account A's users, roles, keys,
 * devices, sub-accounts and sessions through every identity route. Each route must refuse
 * (403/404; 401 on public routes) or answer with B's own data, never with A's.
 */
const CASES: Record<string, Case> = {
  'GET /me': { request: () => ({ method: 'GET', url: '/v1/identity/me' }), expect: 'own-data-only' },
  'GET /account': { request: () => ({ method: 'GET', url: '/v1/identity/account' }), expect: 'own-data-only' },
  'GET /plugins': { request: () => ({ method: 'GET', url: '/v1/identity/plugins' }), expect: 'own-data-only' },
  'GET /accounts': { request: () => ({ method: 'GET', url: '/v1/identity/accounts' }), expect: 'own-data-only' },
  'POST /accounts': { request: () => ({ method: 'POST', url: '/v1/identity/accounts', payload: { name: 'B child' } }), expect: 'own-data-only' },
  'POST /accounts/:accountId/switch': { request: (w) => ({ method: 'POST', url: `/v1/identity/accounts/${w.a.childId}/switch` }), expect: 'refused', caller: 'session' },
  'GET /users': { request: () => ({ method: 'GET', url: '/v1/identity/users' }), expect: 'own-data-only' },
  'POST /users': { request: (w) => ({ method: 'POST', url: '/v1/identity/users', payload: { email: 'new@b.example', roleId: w.a.roleId } }), expect: 'refused' },
  'GET /users/:userId': { request: (w) => ({ method: 'GET', url: `/v1/identity/users/${w.a.user.id}` }), expect: 'refused' },
  'PATCH /users/:userId': { request: (w) => ({ method: 'PATCH', url: `/v1/identity/users/${w.a.user.id}`, payload: { status: 'disabled' } }), expect: 'refused' },
  'DELETE /users/:userId/sessions': { request: (w) => ({ method: 'DELETE', url: `/v1/identity/users/${w.a.user.id}/sessions` }), expect: 'refused' },
  'POST /users/:userId/email-verification': { request: (w) => ({ method: 'POST', url: `/v1/identity/users/${w.a.user.id}/email-verification` }), expect: 'refused' },
  'GET /users/:userId/devices': { request: (w) => ({ method: 'GET', url: `/v1/identity/users/${w.a.user.id}/devices` }), expect: 'refused' },
  'DELETE /users/:userId/devices/:deviceId': { request: (w) => ({ method: 'DELETE', url: `/v1/identity/users/${w.a.user.id}/devices/${w.a.deviceId}` }), expect: 'refused' },
  'GET /permissions': { request: () => ({ method: 'GET', url: '/v1/identity/permissions' }), expect: 'own-data-only' },
  'GET /roles': { request: () => ({ method: 'GET', url: '/v1/identity/roles' }), expect: 'own-data-only' },
  'GET /roles/:roleId': { request: (w) => ({ method: 'GET', url: `/v1/identity/roles/${w.a.roleId}` }), expect: 'refused' },
  'POST /roles': { request: () => ({ method: 'POST', url: '/v1/identity/roles', payload: { key: 'a-secret-role', name: 'Mine', permissions: ['crm.leads:read'] } }), expect: 'own-data-only' },
  'PATCH /roles/:roleId': { request: (w) => ({ method: 'PATCH', url: `/v1/identity/roles/${w.a.roleId}`, payload: { name: 'pwned' } }), expect: 'refused' },
  'DELETE /roles/:roleId': { request: (w) => ({ method: 'DELETE', url: `/v1/identity/roles/${w.a.roleId}` }), expect: 'refused' },
  'GET /api-keys': { request: () => ({ method: 'GET', url: '/v1/identity/api-keys' }), expect: 'own-data-only' },
  'POST /api-keys': { request: () => ({ method: 'POST', url: '/v1/identity/api-keys', payload: { name: 'B key', scopes: ['crm.leads:read'] } }), expect: 'own-data-only' },
  'DELETE /api-keys/:keyId': { request: (w) => ({ method: 'DELETE', url: `/v1/identity/api-keys/${w.a.keyId}` }), expect: 'refused' },
  'POST /sessions': { request: (w) => ({ method: 'POST', url: '/v1/identity/sessions', payload: { accountId: w.a.accountId, email: w.b.user.email, password: STRONG_PASSWORD } }), expect: 'refused', caller: 'public' },
  'POST /sessions/refresh': { request: (w) => ({ method: 'POST', url: '/v1/identity/sessions/refresh', payload: { refreshToken: forgedRefresh(w) } }), expect: 'refused', caller: 'public' },
  'POST /sessions/revoke': { request: (w) => ({ method: 'POST', url: '/v1/identity/sessions/revoke', payload: { refreshToken: forgedRefresh(w) } }), expect: 'own-data-only', caller: 'public' },
  'POST /email-verifications': { request: (w) => ({ method: 'POST', url: '/v1/identity/email-verifications', payload: { token: newCredential('verification', w.a.user.id, w.a.accountId).token } }), expect: 'refused', caller: 'public' },
  'POST /admin/sessions': { request: (w) => ({ method: 'POST', url: '/v1/identity/admin/sessions', payload: { email: w.b.user.email, password: STRONG_PASSWORD, code: '123456' } }), expect: 'refused', caller: 'public' },
  'DELETE /admin/sessions/current': { request: () => ({ method: 'DELETE', url: '/v1/identity/admin/sessions/current' }), expect: 'refused' },
  'GET /admin/admins': { request: () => ({ method: 'GET', url: '/v1/identity/admin/admins' }), expect: 'refused' },
  'POST /admin/admins': { request: () => ({ method: 'POST', url: '/v1/identity/admin/admins', payload: { email: 'evil@b.example', password: STRONG_PASSWORD } }), expect: 'refused' },
  'PATCH /admin/admins/:adminId': { request: (w) => ({ method: 'PATCH', url: `/v1/identity/admin/admins/${w.a.user.id}`, payload: { status: 'disabled' } }), expect: 'refused' },
  'POST /admin/accounts': { request: () => ({ method: 'POST', url: '/v1/identity/admin/accounts', payload: { name: 'Free upgrade', planTier: 'enterprise' } }), expect: 'refused' },
  'GET /admin/accounts/:accountId': { request: (w) => ({ method: 'GET', url: `/v1/identity/admin/accounts/${w.a.accountId}` }), expect: 'refused' },
  'GET /admin/accounts/:accountId/children': { request: (w) => ({ method: 'GET', url: `/v1/identity/admin/accounts/${w.a.accountId}/children` }), expect: 'refused' },
  'PATCH /admin/accounts/:accountId': { request: (w) => ({ method: 'PATCH', url: `/v1/identity/admin/accounts/${w.b.accountId}`, payload: { planTier: 'enterprise' } }), expect: 'refused' },
  'GET /admin/plugins': { request: () => ({ method: 'GET', url: '/v1/identity/admin/plugins' }), expect: 'refused' },
  'GET /admin/accounts/:accountId/plugins': { request: (w) => ({ method: 'GET', url: `/v1/identity/admin/accounts/${w.a.accountId}/plugins` }), expect: 'refused' },
  'PUT /admin/accounts/:accountId/plugins/:pluginId': { request: (w) => ({ method: 'PUT', url: `/v1/identity/admin/accounts/${w.a.accountId}/plugins/crm`, payload: { enabled: false } }), expect: 'refused' },
  'GET /admin/audit': { request: () => ({ method: 'GET', url: '/v1/identity/admin/audit' }), expect: 'refused' },
};

/** A refresh token naming A's real token id, with a secret B made up. */
function forgedRefresh(w: World): string {
  const real = parseCredential(w.a.tokens.refreshToken, ['refresh'])!;
  return newCredential('refresh', real.id, w.a.accountId).token;
}

describe('cross-tenant access on every identity route', () => {
  let kit: TestKernel;
  let world: World;
  before(async () => {
    kit = await startIdentityKit();
    const tenantA = await kit.createTenant({ name: 'Alpha Secret Corp' });
    const tenantB = await kit.createTenant({ name: 'Beta' });
    const ownerA = tenantA.as(['*']);
    const userA = await addUser(tenantA, 'admin', 'alpha.person@alpha.example');
    const tokensA = await login(kit, userA, { trustDevice: true, deviceName: 'alpha laptop' });
    const role = await ownerA.inject({ method: 'POST', url: '/v1/identity/roles', payload: { key: 'alpha-role', name: 'Alpha role', permissions: ['crm.leads:read'] } });
    const key = await ownerA.inject({ method: 'POST', url: '/v1/identity/api-keys', payload: { name: 'Alpha key', scopes: ['crm.leads:read'] } });
    const child = await ownerA.inject({ method: 'POST', url: '/v1/identity/accounts', payload: { name: 'Alpha child' } });
    const devices = await ownerA.inject({ method: 'GET', url: `/v1/identity/users/${userA.id}/devices` });
    const userB = await addUser(tenantB, 'super_admin', 'beta.person@beta.example');
    const superKey = await tenantB.as(['*']).ready();
    const rolesB = (await superKey.inject({ method: 'GET', url: '/v1/identity/roles' })).json().items as { id: string; key: string }[];
    world = {
      a: {
        accountId: tenantA.accountId,
        user: userA,
        tokens: tokensA,
        roleId: role.json().id,
        keyId: key.json().apiKey.id,
        keyPrefix: key.json().apiKey.prefix,
        deviceId: devices.json().items[0].id,
        childId: child.json().id,
        secrets: ['Alpha Secret Corp', 'alpha.person@alpha.example', 'Alpha role', 'alpha-role', 'Alpha key', 'Alpha child', 'alpha laptop', key.json().apiKey.prefix],
      },
      b: { accountId: tenantB.accountId, user: userB, superKey: superKey.token, roleId: rolesB.find((r) => r.key === 'viewer')!.id },
    };
  });
  after(() => kit?.close());

  test('every identity route has a cross-tenant case', () => {
    // HEAD routes are fastify's mirrors of the GET routes.
    const routes = kit.kernel.host.routes.filter((r) => r.pluginId === 'identity' && r.method !== 'HEAD').map((r) => `${r.method} ${r.url.replace('/v1/identity', '')}`);
    assert.deepEqual([...new Set(routes)].sort(), Object.keys(CASES).sort());
  });

  for (const [route, c] of Object.entries(CASES)) {
    test(route, async () => {
      let res: LightMyRequestResponse;
      const request = c.request(world);
      if (c.caller === 'public') res = await kit.inject(request);
      else if (c.caller === 'session') res = await as(kit, (await login(kit, world.b.user)).accessToken)(request);
      else res = await as(kit, world.b.superKey)(request);
      if (c.expect === 'refused') {
        const allowed = c.caller === 'public' ? [401, 404, 422] : [403, 404];
        assert.ok(allowed.includes(res.statusCode), `${route}: got ${res.statusCode} ${res.body}`);
        assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
      } else {
        assert.ok(res.statusCode >= 200 && res.statusCode < 300, `${route}: got ${res.statusCode} ${res.body}`);
      }
      for (const secret of world.a.secrets) assert.ok(!res.body.includes(secret), `${route} leaked "${secret}"`);
      for (const id of [world.a.user.id, world.a.roleId, world.a.keyId, world.a.deviceId, world.a.childId]) {
        const sentInUrl = (request.url as string).includes(id);
        if (!sentInUrl) assert.ok(!res.body.includes(id), `${route} leaked id ${id}`);
      }
    });
  }

  test('after all of it, account A is intact', async () => {
    const a = world.a;
    assert.equal((await me(kit, a.tokens.accessToken)).statusCode, 200, 'A’s session survived B’s revoke attempts');
    const refreshed = await kit.inject({ method: 'POST', url: '/v1/identity/sessions/refresh', payload: { refreshToken: a.tokens.refreshToken } });
    assert.equal(refreshed.statusCode, 200, 'A’s refresh token was never spent by B');
    const owner = await kit.kernel.tenancy.withTenant(a.accountId, async (db) => ({
      user: await db('identity_users').where({ id: a.user.id }).first('status'),
      role: await db('identity_roles').where({ id: a.roleId }).first('name'),
      key: await db('identity_api_keys').where({ id: a.keyId }).first('revoked_at'),
      device: await db('identity_trusted_devices').where({ id: a.deviceId }).first('revoked_at'),
      crm: await db('tenant_plugins').where({ plugin_id: 'crm' }).first('enabled'),
    }));
    assert.deepEqual(owner, { user: { status: 'active' }, role: { name: 'Alpha role' }, key: { revoked_at: null }, device: { revoked_at: null }, crm: { enabled: true } });
  });
});
