import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { coreServices, definePlugin, type AccountsService, type PluginCatalog, type StartContext, type TenancyService } from '@markettina/sdk';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { notesPlugin } from './fixtures/notes/plugin.js';

const started: { plugin: string; embedded: boolean }[] = [];
let services: { accounts: AccountsService; plugins: PluginCatalog; tenancy: TenancyService } | undefined;

/** A plugin that reaches the kernel's account administration the way identity does. */
const admin = definePlugin({
  manifest: {
    id: 'operator',
    version: '1.0.0',
    kernel: '^1.0.0',
    permissions: [
      { id: 'operator.console:use', description: 'Use the console' },
      { id: 'operator.deployment:admin', description: 'Administer the deployment', platform: true },
    ],
  },
  register(reg) {
    reg.onStart(async (ctx: StartContext) => {
      started.push({ plugin: ctx.pluginId, embedded: ctx.embeddedDatabase });
      services = { accounts: ctx.get(coreServices.accounts), plugins: ctx.get(coreServices.plugins), tenancy: ctx.get(coreServices.tenancy) };
    });
    reg.routes(async (app) => {
      app.get('/deployment', { config: { permission: 'operator.deployment:admin' }, schema: { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, async () => ({ ok: true }));
      // A public route reaches its plugin's services through request.services.
      app.get('/status', { config: { auth: 'none' }, schema: { response: { 200: { type: 'object', properties: { plugin: { type: 'string' }, installed: { type: 'integer' } } } } } }, async (req) => ({
        plugin: req.services.pluginId,
        installed: req.services.get(coreServices.plugins).installed().length,
      }));
    });
  },
});

const currentTenant = async (trx: import('knex').Knex.Transaction) =>
  ((await trx.raw("select current_setting('app.current_account_id', true) as t")) as { rows: { t: string }[] }).rows[0]!.t;

describe('kernel services for administering plugins: accounts, catalogue, start hooks, platform permissions', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startTestKernel({ plugins: [notesPlugin, admin] });
    await kit.kernel.listen();
  });
  after(() => kit?.close());

  test('start hooks run when the node starts listening, with the deployment facts', () => {
    assert.deepEqual(started, [{ plugin: 'operator', embedded: false }]);
  });

  test('the catalogue lists installed plugins and every permission, kernel ones included', () => {
    const { plugins } = services!;
    assert.deepEqual(plugins.installed().map((p) => [p.id, p.version]).sort(), [['notes', '1.0.0'], ['operator', '1.0.0'], ['test-auth', '0.0.0']]);
    assert.deepEqual(plugins.installed().find((p) => p.id === 'notes')!.schemas.tenantSettings, notesSettingsSchema());
    const perms = plugins.permissions();
    assert.equal(perms.find((p) => p.id === 'kernel.flags:admin')?.platform, true);
    assert.equal(perms.find((p) => p.id === 'operator.deployment:admin')?.platform, true);
    assert.ok(perms.some((p) => p.id === 'notes.notes:write'));
  });

  test('a platform permission needs a platform admin: no tenant principal holds it, not even with *', async () => {
    const t = await kit.createTenant();
    for (const perms of [['*'], ['operator.*'], ['operator.deployment:admin']]) {
      const res = await t.as(perms).inject({ method: 'GET', url: '/v1/operator/deployment' });
      assert.equal(res.statusCode, 403, `tenant principal with ${perms.join(',')}`);
      assert.equal(res.json().code, 'PERMISSION_DENIED');
    }
    for (const perms of [['*'], ['kernel.*'], ['kernel.flags:admin']]) {
      assert.equal((await t.as(perms).inject({ method: 'GET', url: '/v1/kernel/flags' })).statusCode, 403, `flags admin with ${perms.join(',')}`);
    }
    assert.equal((await t.as(['*'], undefined, 'admin').inject({ method: 'GET', url: '/v1/operator/deployment' })).statusCode, 200);
    assert.equal((await t.as(['kernel.flags:admin'], undefined, 'admin').inject({ method: 'GET', url: '/v1/kernel/flags' })).statusCode, 200);
    assert.equal((await t.as(['operator.console:use'], undefined, 'admin').inject({ method: 'GET', url: '/v1/operator/deployment' })).statusCode, 403, 'admins still need the permission');
  });

  test('public routes get their plugin context on request.services', async () => {
    const res = await kit.inject({ method: 'GET', url: '/v1/operator/status' });
    assert.deepEqual(res.json(), { plugin: 'operator', installed: 3 });
  });

  test('accounts: get, children of the bound parent only, plan changes validated', async () => {
    const { accounts } = services!;
    const agency = await accounts.create({ name: 'Agency', planTier: 'pro' });
    const c1 = await accounts.create({ name: 'Client 1', parentId: agency.id });
    const c2 = await accounts.create({ name: 'Client 2', parentId: agency.id });
    await accounts.create({ name: 'Grandchild', parentId: c1.id });
    assert.deepEqual((await accounts.get(c1.id))?.parentId, agency.id);
    assert.equal(await accounts.get('00000000-0000-4000-8000-000000000000'), undefined);
    assert.deepEqual((await accounts.children(agency.id)).map((a) => a.id), [c1.id, c2.id]);
    assert.deepEqual(await accounts.children(c2.id), []);
    await assert.rejects(accounts.children('00000000-0000-4000-8000-000000000000'), { status: 404 });

    const { before: b, after: a } = await accounts.setPlan(agency.id, 'enterprise');
    assert.deepEqual([b.planTier, a.planTier], ['pro', 'enterprise']);
    await assert.rejects(accounts.setPlan(agency.id, 'gold' as never), { code: 'PLAN_TIER_INVALID' });
  });

  test('at SQL level a tenant cannot list another parent’s children through the directory function', async () => {
    const { accounts, tenancy } = services!;
    const agency = await accounts.create({ name: 'Agency B' });
    await accounts.create({ name: 'Client B', parentId: agency.id });
    const other = await accounts.create({ name: 'Other' });
    const seen = await tenancy.withTenant(other.id, async (trx) => (await trx.raw('select * from kernel_account_children(?)', [agency.id])).rows);
    assert.deepEqual(seen, []);
  });

  test('with a transaction, account work commits with the caller and restores its tenant binding', async () => {
    const { accounts, tenancy } = services!;
    const home = await accounts.create({ name: 'Home' });
    const created = await tenancy.withTenant(home.id, async (trx) => {
      const child = await accounts.create({ name: 'Made inside', parentId: home.id }, trx);
      assert.equal(await currentTenant(trx), home.id, 'binding restored after create');
      await accounts.setPluginState(child.id, 'notes', { enabled: true, settings: { maxNotes: 3 } }, trx);
      assert.equal(await currentTenant(trx), home.id, 'binding restored after setPluginState');
      const seen = await tenancy.withTenant(child.id, async (inner) => currentTenant(inner), { within: trx });
      assert.equal(seen, child.id);
      assert.equal(await currentTenant(trx), home.id, 'binding restored after withTenant within');
      return child;
    });
    assert.deepEqual(await accounts.pluginStates(created.id), [{ pluginId: 'notes', enabled: true, settings: { maxNotes: 3 }, hasSecrets: false }]);

    let lost: string | undefined;
    await assert.rejects(
      tenancy.withTenant(home.id, async (trx) => {
        lost = (await accounts.create({ name: 'Rolled back' }, trx)).id;
        throw new Error('abort');
      }),
      /abort/,
    );
    assert.equal(await accounts.get(lost!), undefined, 'the caller’s rollback undoes the account');

    await tenancy.withTenant(home.id, async (trx) => {
      await assert.rejects(accounts.setPluginState(created.id, 'notes', { enabled: true, settings: { maxNotes: 'x' } }, trx), { code: 'PLUGIN_SETTINGS_INVALID' });
      assert.equal(await currentTenant(trx), home.id, 'a failed step leaves the caller’s transaction usable and bound');
    });
  });

  test('withoutTenant sees no tenant rows', async () => {
    const { tenancy } = services!;
    const count = await tenancy.withoutTenant(async (trx) => (await trx('tenant_plugins').count<{ count: string }[]>('* as count'))[0]!.count);
    assert.equal(Number(count), 0);
  });
});

function notesSettingsSchema() {
  return { type: 'object', properties: { maxNotes: { type: 'integer', minimum: 1 } }, additionalProperties: false };
}
