import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestKernel } from '@markettina/sdk/testing';
import { adminLogin, eventsOf, makeAdmin, midStep, type TestAdmin } from './fixtures/admins.js';
import { as, startIdentityKit, STRONG_PASSWORD, vaultPlugin } from './fixtures/kit.js';

describe('platform administrators', () => {
  let kit: TestKernel;
  let admin: TestAdmin;
  let token: string;
  before(async () => {
    kit = await startIdentityKit({ plugins: [vaultPlugin] });
    admin = await makeAdmin(kit);
    await midStep();
    token = await adminLogin(kit, admin);
  });
  after(() => kit?.close());

  const asAdmin = (o: Parameters<ReturnType<typeof as>>[0]) => as(kit, token)(o);
  const login = (a: TestAdmin, code: string, password = a.password) =>
    kit.inject({ method: 'POST', url: '/v1/identity/admin/sessions', payload: { email: a.email, password, code } });

  test('TOTP: codes one step early or late are accepted, two steps off are not, and each code works once', async () => {
    await midStep();
    const early = await makeAdmin(kit);
    assert.equal((await login(early, early.code(-1))).statusCode, 200, 'previous step');
    const late = await makeAdmin(kit);
    assert.equal((await login(late, late.code(1))).statusCode, 200, 'next step');
    const far = await makeAdmin(kit);
    for (const offset of [-2, 2]) {
      const res = await login(far, far.code(offset));
      assert.equal(res.statusCode, 401, `offset ${offset}`);
      assert.equal(res.json().code, 'INVALID_CREDENTIALS');
    }
    const once = await makeAdmin(kit);
    const code = once.code();
    assert.equal((await login(once, code)).statusCode, 200);
    assert.equal((await login(once, code)).statusCode, 401, 'a replayed code');
    assert.equal((await login(once, once.code(-1))).statusCode, 401, 'an older code after a newer one');
    assert.equal((await login(once, once.code(), 'wrong password here')).statusCode, 401, 'the password still matters');
  });

  test('an admin session is a platform principal; tenants never hold platform permissions', async () => {
    const who = (await asAdmin({ method: 'GET', url: '/v1/identity/me' })).json();
    assert.equal(who.type, 'admin');
    assert.equal(who.id, admin.id);
    assert.equal((await asAdmin({ method: 'GET', url: '/v1/kernel/flags' })).statusCode, 200, 'kernel platform routes too');

    const tenant = await kit.createTenant({ enable: ['identity', 'crm'] });
    const superAdmin = tenant.as(['*']);
    assert.equal((await superAdmin.inject({ method: 'GET', url: '/v1/identity/admin/plugins' })).statusCode, 403);
    assert.equal((await superAdmin.inject({ method: 'GET', url: '/v1/kernel/flags' })).statusCode, 403);
  });

  test('accounts: created with a plan and an owner, plans changed, each with its event', async () => {
    const res = await asAdmin({ method: 'POST', url: '/v1/identity/admin/accounts', payload: { name: 'Acme', planTier: 'starter', owner: { email: 'Owner@Acme.example', password: STRONG_PASSWORD } } });
    assert.equal(res.statusCode, 201, res.body);
    const { account, owner } = res.json();
    assert.equal(account.planTier, 'starter');
    assert.equal(owner.email, 'owner@acme.example');
    assert.equal(owner.role.key, 'super_admin');
    const login = await kit.inject({ method: 'POST', url: '/v1/identity/sessions', payload: { accountId: account.id, email: owner.email, password: STRONG_PASSWORD } });
    assert.equal(login.statusCode, 200);

    const created = await eventsOf(kit, account.id, 'identity.AccountCreated');
    assert.deepEqual(created.map((e) => [e.accountId, e.planTier, e.parentId]), [[account.id, 'starter', null]]);
    assert.deepEqual((await eventsOf(kit, account.id, 'identity.UserRegistered')).map((e) => e.email), ['owner@acme.example']);

    const audit = (await asAdmin({ method: 'GET', url: `/v1/identity/admin/audit?targetAccount=${account.id}` })).json().items as { action: string; adminId: string }[];
    assert.deepEqual(audit.map((e) => [e.action, e.adminId]), [['accounts.create', admin.id]]);

    const changed = await asAdmin({ method: 'PATCH', url: `/v1/identity/admin/accounts/${account.id}`, payload: { planTier: 'enterprise' } });
    assert.equal(changed.json().planTier, 'enterprise');
    await asAdmin({ method: 'PATCH', url: `/v1/identity/admin/accounts/${account.id}`, payload: { planTier: 'enterprise' } });
    assert.deepEqual(await eventsOf(kit, account.id, 'identity.AccountPlanChanged'), [{ accountId: account.id, from: 'starter', to: 'enterprise' }], 'no event when nothing changed');

    const child = await asAdmin({ method: 'POST', url: '/v1/identity/admin/accounts', payload: { name: 'Acme Italia', planTier: 'pro', parentId: account.id } });
    assert.equal(child.json().account.parentId, account.id);
    const children = await asAdmin({ method: 'GET', url: `/v1/identity/admin/accounts/${account.id}/children` });
    assert.deepEqual(children.json().items.map((a: { name: string }) => a.name), ['Acme Italia']);
  });

  test('plugin administration: installed plugins, per-tenant state, validated settings, write-only secrets', async () => {
    const installed = (await asAdmin({ method: 'GET', url: '/v1/identity/admin/plugins' })).json().items as { id: string; version: string; schemas: Record<string, unknown> }[];
    assert.deepEqual(installed.map((p) => p.id).sort(), ['content', 'crm', 'identity', 'vault']);
    assert.deepEqual(installed.find((p) => p.id === 'vault')!.schemas.tenantSecrets, { type: 'object', properties: { token: { type: 'string', minLength: 8 } }, required: ['token'], additionalProperties: false });

    const tenant = await kit.createTenant({ enable: ['identity'] });
    const put = (pluginId: string, payload: object) => asAdmin({ method: 'PUT', url: `/v1/identity/admin/accounts/${tenant.accountId}/plugins/${pluginId}`, payload });
    const noSecrets = await put('vault', { enabled: true });
    assert.equal(noSecrets.statusCode, 422);
    assert.equal(noSecrets.json().code, 'PLUGIN_SECRETS_INVALID');
    const badSettings = await put('vault', { enabled: true, settings: { region: 'mars' }, secrets: { token: 'secret-token-123' } });
    assert.equal(badSettings.json().code, 'PLUGIN_SETTINGS_INVALID');
    const ok = await put('vault', { enabled: true, settings: { region: 'eu' }, secrets: { token: 'secret-token-123' } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { pluginId: 'vault', version: '1.0.0', installed: true, enabled: true, settings: { region: 'eu' }, hasSecrets: true });
    assert.ok(!ok.body.includes('secret-token-123'));
    assert.equal((await put('nope', { enabled: true })).statusCode, 404);
    const identityOff = await put('identity', { enabled: false });
    assert.equal(identityOff.statusCode, 409);
    assert.equal(identityOff.json().code, 'PLUGIN_REQUIRED');

    const states = await asAdmin({ method: 'GET', url: `/v1/identity/admin/accounts/${tenant.accountId}/plugins` });
    assert.ok(!states.body.includes('secret-token-123'));
    const own = await tenant.as(['identity.account:read']).inject({ method: 'GET', url: '/v1/identity/plugins' });
    assert.equal(own.statusCode, 200);
    const byId = Object.fromEntries((own.json().items as { pluginId: string; enabled: boolean; hasSecrets: boolean }[]).map((p) => [p.pluginId, [p.enabled, p.hasSecrets]]));
    assert.deepEqual(byId, { identity: [true, false], crm: [false, false], content: [false, false], vault: [true, true] });
    assert.ok(!own.body.includes('secret-token-123'), 'a tenant sees whether secrets are set, never them');

    assert.equal((await tenant.as(['*']).inject({ method: 'GET', url: '/v1/crm/leads' })).statusCode, 404, 'crm not enabled');
    await put('crm', { enabled: true });
    assert.equal((await tenant.as(['*']).inject({ method: 'GET', url: '/v1/crm/leads' })).statusCode, 200);
    await put('crm', { enabled: false });
    assert.equal((await tenant.as(['*']).inject({ method: 'GET', url: '/v1/crm/leads' })).statusCode, 404);
  });

  test('every admin action is in the audit log, failures too, and the log is append-only in the database', async () => {
    const tenant = await kit.createTenant({ enable: ['identity', 'crm'] });
    await asAdmin({ method: 'PUT', url: `/v1/identity/admin/accounts/${tenant.accountId}/plugins/crm`, payload: { enabled: true, settings: { unknown: 1 } } });
    await asAdmin({ method: 'PUT', url: `/v1/identity/admin/accounts/${tenant.accountId}/plugins/crm`, payload: { enabled: true } });
    await login(admin, '000000', 'wrong password here');
    const log = (await asAdmin({ method: 'GET', url: `/v1/identity/admin/audit?targetAccount=${tenant.accountId}` })).json().items as { action: string; outcome: string; adminId: string; details: { code?: string } }[];
    assert.deepEqual(log.map((e) => [e.action, e.outcome, e.adminId, e.details.code ?? null]), [
      ['plugins.set', 'success', admin.id, null],
      ['plugins.set', 'failure', admin.id, 'PLUGIN_SETTINGS_INVALID'],
    ]);
    const all = (await asAdmin({ method: 'GET', url: '/v1/identity/admin/audit?limit=200' })).json().items as { action: string; outcome: string; details: { reason?: string } }[];
    assert.ok(all.some((e) => e.action === 'admin.login' && e.outcome === 'failure' && e.details.reason === 'password'));
    assert.ok(all.some((e) => e.action === 'admin.login' && e.outcome === 'success'));

    for (const sql of ['update identity_admin_audit set action = $$x$$', 'delete from identity_admin_audit']) {
      await assert.rejects(kit.kernel.tenancy.withoutTenant((db) => db.raw(sql)), /append-only/, sql);
    }
  });

  test('logout ends the admin session; a disabled administrator loses theirs', async () => {
    await midStep();
    const other = await makeAdmin(kit);
    const t1 = await (async () => {
      const res = await login(other, other.code());
      return res.json().token as string;
    })();
    assert.equal((await as(kit, t1)({ method: 'DELETE', url: '/v1/identity/admin/sessions/current' })).statusCode, 204);
    assert.equal((await as(kit, t1)({ method: 'GET', url: '/v1/identity/me' })).statusCode, 401);
    const t2 = (await login(other, other.code(1))).json().token as string;
    assert.equal((await asAdmin({ method: 'PATCH', url: `/v1/identity/admin/admins/${other.id}`, payload: { status: 'disabled' } })).statusCode, 200);
    assert.equal((await as(kit, t2)({ method: 'GET', url: '/v1/identity/me' })).statusCode, 401);
  });

  test('administrators add administrators; the TOTP secret is returned once', async () => {
    const res = await asAdmin({ method: 'POST', url: '/v1/identity/admin/admins', payload: { email: 'second@ops.example', password: STRONG_PASSWORD } });
    assert.equal(res.statusCode, 201, res.body);
    assert.match(res.json().totp.uri, /^otpauth:\/\/totp\//);
    const list = (await asAdmin({ method: 'GET', url: '/v1/identity/admin/admins' })).json().items as { email: string }[];
    assert.ok(list.some((a) => a.email === 'second@ops.example'));
    assert.ok(!JSON.stringify(list).includes(res.json().totp.secret));
    assert.equal((await asAdmin({ method: 'POST', url: '/v1/identity/admin/admins', payload: { email: 'second@ops.example', password: STRONG_PASSWORD } })).statusCode, 409);
  });
});
