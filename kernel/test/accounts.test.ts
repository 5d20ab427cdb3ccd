import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { definePlugin, type TenantContext } from '@markettina/sdk';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { notesPlugin } from './fixtures/notes/plugin.js';

const hookCalls: string[] = [];
const hooked = definePlugin({
  manifest: { id: 'hooked', version: '1.0.0', kernel: '^1.0.0' },
  register(reg) {
    reg.config({
      tenantSettings: { type: 'object', properties: { region: { enum: ['eu', 'us'] } }, additionalProperties: false },
      tenantSecrets: { type: 'object', properties: { apiKey: { type: 'string', minLength: 8 } }, required: ['apiKey'], additionalProperties: false },
    });
    reg.onTenantEnabled(async (ctx: TenantContext) => void hookCalls.push(`enabled:${ctx.tenant.accountId}`));
    reg.onTenantDisabled(async (ctx: TenantContext) => void hookCalls.push(`disabled:${ctx.tenant.accountId}`));
  },
});

describe('accounts and per-tenant plugins', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startTestKernel({ plugins: [notesPlugin, hooked] });
  });
  after(() => kit.close());

  test('sub-accounts reference an existing parent; plan tiers are validated', async () => {
    const agency = await kit.kernel.accounts.create({ name: 'Agency', planTier: 'enterprise' });
    const client = await kit.kernel.accounts.create({ name: 'Client', parentId: agency.id });
    assert.equal(client.parentId, agency.id);
    await assert.rejects(kit.kernel.accounts.create({ name: 'Orphan', parentId: '00000000-0000-4000-8000-000000000000' }), /PARENT_ACCOUNT_NOT_FOUND|does not exist/);
    await assert.rejects(kit.kernel.accounts.create({ name: 'Bad', planTier: 'platinum' as never }), /plan tier/);
    const listed = await kit.kernel.accounts.list();
    assert.ok(listed.some((a) => a.id === client.id && a.parentId === agency.id));
  });

  test('settings are validated against the plugin schema; secrets are sealed at rest', async () => {
    const account = await kit.kernel.accounts.create({ name: 'S' });
    await assert.rejects(kit.kernel.accounts.setPluginState(account.id, 'hooked', { enabled: true, settings: { region: 'mars' } }), /PLUGIN_SETTINGS_INVALID|settings for "hooked" are invalid/);
    await assert.rejects(kit.kernel.accounts.setPluginState(account.id, 'hooked', { enabled: true, secrets: { apiKey: 'short' } }), /secrets for "hooked" are invalid/);
    await kit.kernel.accounts.setPluginState(account.id, 'hooked', { enabled: true, settings: { region: 'eu' }, secrets: { apiKey: 'sk_live_0123456789' } });

    const states = await kit.kernel.accounts.pluginStates(account.id);
    assert.deepEqual(states.find((s) => s.pluginId === 'hooked'), { pluginId: 'hooked', enabled: true, settings: { region: 'eu' }, hasSecrets: true });

    const owner = new pg.Client({ connectionString: kit.database.ownerUrl });
    await owner.connect();
    const raw = await owner.query("select secrets from tenant_plugins where plugin_id = 'hooked' and account_id = $1", [account.id]);
    await owner.end();
    assert.ok(raw.rows[0].secrets.startsWith('v1.test.'));
    assert.doesNotMatch(raw.rows[0].secrets, /sk_live/);

    const opened = await kit.kernel.tenancy.withTenant(account.id, (trx) => kit.kernel.accounts.pluginSecrets(trx, account.id, 'hooked'));
    assert.deepEqual(opened, { apiKey: 'sk_live_0123456789' });
  });

  test('tenant lifecycle hooks run when enablement changes, not when it is repeated', async () => {
    const account = await kit.kernel.accounts.create({ name: 'H' });
    hookCalls.length = 0;
    const secrets = { apiKey: 'sk_live_0123456789' };
    await kit.kernel.accounts.setPluginState(account.id, 'hooked', { enabled: true, secrets });
    await kit.kernel.accounts.setPluginState(account.id, 'hooked', { enabled: true });
    await kit.kernel.accounts.setPluginState(account.id, 'hooked', { enabled: false });
    assert.deepEqual(hookCalls, [`enabled:${account.id}`, `disabled:${account.id}`]);
  });

  test('a plugin whose required secrets are missing cannot be enabled', async () => {
    const account = await kit.kernel.accounts.create({ name: 'N' });
    await assert.rejects(kit.kernel.accounts.setPluginState(account.id, 'hooked', { enabled: true }), /needs secrets before it can be enabled/);
  });

  test('unknown plugins and accounts are reported', async () => {
    const account = await kit.kernel.accounts.create({ name: 'U' });
    await assert.rejects(kit.kernel.accounts.setPluginState(account.id, 'nope', { enabled: true }), /no installed plugin has id "nope"/);
    await assert.rejects(kit.kernel.accounts.setPluginState('00000000-0000-4000-8000-000000000000', 'notes', { enabled: true }), /account not found/);
  });

  test('forEachTenant visits only active tenants that enabled the plugin, each in its own tenant transaction', async () => {
    const on = await kit.createTenant({ enable: ['notes'] });
    const off = await kit.createTenant({ enable: [] });
    const seen: string[] = [];
    await kit.kernel.tenancy.forEachTenant('notes', async (trx, tenant) => {
      const { rows } = await trx.raw("select current_setting('app.current_account_id') as t");
      assert.equal(rows[0].t, tenant.accountId);
      seen.push(tenant.accountId);
    });
    assert.ok(seen.includes(on.accountId));
    assert.ok(!seen.includes(off.accountId));
  });
});
