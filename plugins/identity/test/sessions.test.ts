import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestKernel, TestTenant } from '@markettina/sdk/testing';
import { as, startIdentityKit } from './fixtures/kit.js';
import { addUser, login, me, type Person } from './fixtures/people.js';

describe('sessions: login, rotating refresh tokens, reuse detection, logout', () => {
  let kit: TestKernel;
  let tenant: TestTenant;
  let alice: Person;
  before(async () => {
    kit = await startIdentityKit();
    tenant = await kit.createTenant();
    alice = await addUser(tenant, 'marketing');
  });
  after(() => kit?.close());

  const refresh = (refreshToken: string) => kit.inject({ method: 'POST', url: '/v1/identity/sessions/refresh', payload: { refreshToken } });

  test('a login returns an access token that resolves to the user and the role’s permissions', async () => {
    const res = await kit.inject({ method: 'POST', url: '/v1/identity/sessions', payload: { accountId: alice.accountId, email: alice.email.toUpperCase(), password: alice.password } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(body.tokenType, 'Bearer');
    assert.equal(body.user.email, alice.email);
    assert.equal(body.expiresIn, 900);
    const who = await me(kit, body.accessToken);
    assert.equal(who.statusCode, 200);
    assert.equal(who.json().id, alice.id);
    assert.equal(who.json().type, 'user');
    assert.equal(who.json().accountId, tenant.accountId);
    assert.ok(who.json().permissions.includes('crm.leads:read'));
    assert.ok(!who.json().permissions.includes('crm.leads:write'));
  });

  test('wrong passwords, unknown emails and unknown accounts all look the same', async () => {
    const attempts = [
      { accountId: alice.accountId, email: alice.email, password: 'not the password at all' },
      { accountId: alice.accountId, email: 'nobody@example.com', password: alice.password },
      { accountId: '00000000-0000-4000-8000-000000000000', email: alice.email, password: alice.password },
    ];
    for (const payload of attempts) {
      const res = await kit.inject({ method: 'POST', url: '/v1/identity/sessions', payload });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'INVALID_CREDENTIALS');
      assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
    }
  });

  test('a refresh rotates: the new pair works, the old refresh token is spent', async () => {
    const first = await login(kit, alice);
    const res = await refresh(first.refreshToken);
    assert.equal(res.statusCode, 200, res.body);
    const second = res.json();
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.equal((await me(kit, second.accessToken)).statusCode, 200);
    const third = await refresh(second.refreshToken);
    assert.equal(third.statusCode, 200);
  });

  test('reusing a rotated refresh token revokes the whole family at once', async () => {
    const first = await login(kit, alice);
    const second = (await refresh(first.refreshToken)).json();
    assert.equal((await me(kit, second.accessToken)).statusCode, 200);

    const reuse = await refresh(first.refreshToken);
    assert.equal(reuse.statusCode, 401);
    assert.equal(reuse.json().code, 'REFRESH_TOKEN_REUSED');

    const latest = await refresh(second.refreshToken);
    assert.equal(latest.statusCode, 401, 'the thief’s (or victim’s) newer token is dead too');
    assert.equal(latest.json().code, 'INVALID_REFRESH_TOKEN');
    const accessAfter = await me(kit, second.accessToken);
    assert.equal(accessAfter.statusCode, 401, 'access tokens of the family stop working with the next request');

    const other = await login(kit, alice);
    assert.equal((await me(kit, other.accessToken)).statusCode, 200, 'other sessions of the user are untouched');
  });

  test('a forged refresh token revokes nothing', async () => {
    const tokens = await login(kit, alice);
    const forged = `${tokens.refreshToken.slice(0, -6)}AAAAAA`;
    assert.equal((await refresh(forged)).statusCode, 401);
    assert.equal((await refresh(tokens.refreshToken)).statusCode, 200);
  });

  test('logout ends the session; unknown tokens are not an error', async () => {
    const tokens = await login(kit, alice);
    const out = await kit.inject({ method: 'POST', url: '/v1/identity/sessions/revoke', payload: { refreshToken: tokens.refreshToken } });
    assert.equal(out.statusCode, 204);
    assert.equal((await refresh(tokens.refreshToken)).statusCode, 401);
    assert.equal((await me(kit, tokens.accessToken)).statusCode, 401);
    assert.equal((await kit.inject({ method: 'POST', url: '/v1/identity/sessions/revoke', payload: { refreshToken: 'mkr_not-a-real-token-at-all' } })).statusCode, 204);
  });

  test('disabling a user ends their sessions; a role change applies to the next request', async () => {
    const bob = await addUser(tenant, 'viewer');
    const tokens = await login(kit, bob);
    const owner = tenant.as(['*']);
    const roles = (await owner.inject({ method: 'GET', url: '/v1/identity/roles' })).json().items as { id: string; key: string }[];
    const sales = roles.find((r) => r.key === 'sales')!;
    const changed = await owner.inject({ method: 'PATCH', url: `/v1/identity/users/${bob.id}`, payload: { roleId: sales.id } });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().role.key, 'sales');
    assert.ok((await me(kit, tokens.accessToken)).json().permissions.includes('crm.leads:write'));

    await owner.inject({ method: 'PATCH', url: `/v1/identity/users/${bob.id}`, payload: { status: 'disabled' } });
    assert.equal((await me(kit, tokens.accessToken)).statusCode, 401);
    assert.equal((await refresh(tokens.refreshToken)).statusCode, 401);
    const again = await kit.inject({ method: 'POST', url: '/v1/identity/sessions', payload: { accountId: bob.accountId, email: bob.email, password: bob.password } });
    assert.equal(again.statusCode, 401);
  });

  test('an admin can end all sessions of a user', async () => {
    const carol = await addUser(tenant, 'editor');
    const a = await login(kit, carol);
    const b = await login(kit, carol);
    const res = await tenant.as(['identity.users:write']).inject({ method: 'DELETE', url: `/v1/identity/users/${carol.id}/sessions` });
    assert.equal(res.statusCode, 204);
    for (const t of [a, b]) {
      assert.equal((await me(kit, t.accessToken)).statusCode, 401);
      assert.equal((await refresh(t.refreshToken)).statusCode, 401);
    }
  });

  test('access tokens are signed by this deployment: tampered or foreign tokens are refused', async () => {
    const { accessToken } = await login(kit, alice);
    const [h, p, s] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, acc: (await kit.createTenant()).accountId })).toString('base64url');
    assert.equal((await me(kit, `${h}.${elevated}.${s}`)).statusCode, 401);
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
    assert.equal((await me(kit, `${none}.${p}.`)).statusCode, 401);
    assert.equal((await as(kit, 'garbage')({ method: 'GET', url: '/v1/identity/me' })).statusCode, 401);
  });

  test('email verification: a one-time token sets the flag', async () => {
    const dave = await addUser(tenant, 'viewer');
    const issued = await tenant.as(['identity.users:write']).inject({ method: 'POST', url: `/v1/identity/users/${dave.id}/email-verification` });
    assert.equal(issued.statusCode, 201, issued.body);
    const { token } = issued.json();
    const ok = await kit.inject({ method: 'POST', url: '/v1/identity/email-verifications', payload: { token } });
    assert.deepEqual(ok.json(), { userId: dave.id, emailVerified: true });
    const again = await kit.inject({ method: 'POST', url: '/v1/identity/email-verifications', payload: { token } });
    assert.equal(again.statusCode, 422);
    assert.equal(again.json().code, 'VERIFICATION_TOKEN_INVALID');
    const user = await tenant.as(['identity.users:read']).inject({ method: 'GET', url: `/v1/identity/users/${dave.id}` });
    assert.equal(user.json().emailVerified, true);
  });
});
