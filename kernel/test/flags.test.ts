import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import knexFactory from 'knex';
import pg from 'pg';
import { coreServices, type TenantInfo } from '@markettina/sdk';
import { checkTenantSchema, runBadInputCheck, startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { createKernel } from '@markettina/kernel';
import { FlagService } from '../src/flags/service.js';
import { socialFlagsPlugin } from './fixtures/flags/plugin.js';

/** Polls `probe` until it returns true, for at most `ms`. */
async function eventually(probe: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(25);
  }
  assert.fail(`condition not met within ${ms} ms`);
}

describe('feature flags', () => {
  let kit: TestKernel;
  let admin: ReturnType<Awaited<ReturnType<TestKernel['createTenant']>>['as']>;
  before(async () => {
    kit = await startTestKernel({ plugins: [socialFlagsPlugin] });
    admin = (await kit.createTenant({ name: 'Operator' })).as(['kernel.flags:admin'], undefined, 'admin');
  });
  after(() => kit.close());

  const setOverride = (accountId: string, key: string, value: unknown) =>
    admin.inject({ method: 'PUT', url: `/v1/kernel/flags/${key}/overrides/${accountId}`, payload: { value } });

  test('flags a plugin declares are stored as global definitions owned by that plugin', async () => {
    const rows = await kit.kernel.knex('flag_definitions').select('key', 'owner', 'origin', 'type').orderBy('key');
    assert.deepEqual(rows, [
      { key: 'social.max-accounts', owner: 'social', origin: 'declared', type: 'number' },
      { key: 'social.new-composer', owner: 'social', origin: 'declared', type: 'boolean' },
      { key: 'social.threads-enabled', owner: 'social', origin: 'declared', type: 'boolean' },
    ]);
    const listed = await admin.inject({ method: 'GET', url: '/v1/kernel/flags?limit=2' });
    assert.equal(listed.statusCode, 200);
    assert.deepEqual(listed.json().items.map((f: { key: string }) => f.key), ['social.max-accounts', 'social.new-composer']);
    const rest = await admin.inject({ method: 'GET', url: `/v1/kernel/flags?limit=2&cursor=${listed.json().nextCursor}` });
    assert.deepEqual(rest.json().items.map((f: { key: string }) => f.key), ['social.threads-enabled']);
    assert.equal(rest.json().nextCursor, null);
  });

  test('a plugin gates a route through coreServices.flags; an override turns it on for one tenant only', async () => {
    const free = await kit.createTenant({ planTier: 'free' });
    const pro = await kit.createTenant({ planTier: 'pro' });
    const get = (t: typeof free) => t.as(['social.threads:read']).inject({ method: 'GET', url: '/v1/social/threads' });
    assert.equal((await get(free)).statusCode, 404);

    assert.equal((await setOverride(free.accountId, 'social.threads-enabled', true)).statusCode, 200);
    assert.equal((await setOverride(pro.accountId, 'social.threads-enabled', true)).statusCode, 200);
    assert.deepEqual((await get(free)).json(), { maxAccounts: 3 }, 'free tier: the default');
    assert.deepEqual((await get(pro)).json(), { maxAccounts: 25 }, 'pro tier: the targeting rule');

    const other = await kit.createTenant({ planTier: 'pro' });
    assert.equal((await get(other)).statusCode, 404, 'the override belongs to its tenant only');

    const cleared = await admin.inject({ method: 'DELETE', url: `/v1/kernel/flags/social.threads-enabled/overrides/${free.accountId}` });
    assert.equal(cleared.statusCode, 204);
    assert.equal((await get(free)).statusCode, 404);
  });

  test('operators define, change and delete flags; mistakes are problem+json with stable codes', async () => {
    const create = (payload: object) => admin.inject({ method: 'POST', url: '/v1/kernel/flags', payload });
    const created = await create({ key: 'kernel.banner', type: 'string', defaultValue: 'none', description: 'Banner text' });
    assert.equal(created.statusCode, 201);
    assert.equal(created.json().origin, 'admin');
    assert.equal(created.headers.location, '/v1/kernel/flags/kernel.banner');

    const expectProblem = async (res: Promise<{ statusCode: number; headers: Record<string, unknown>; json(): { code: string } }>, status: number, code: string) => {
      const r = await res;
      assert.equal(r.statusCode, status, `${code}: ${JSON.stringify(r.json())}`);
      assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
      assert.equal(r.json().code, code);
    };
    await expectProblem(create({ key: 'kernel.banner', type: 'string', defaultValue: 'x' }), 409, 'FLAG_EXISTS');
    await expectProblem(create({ key: 'crm.thing', type: 'boolean', defaultValue: true }), 422, 'FLAG_OWNER_UNKNOWN');
    await expectProblem(create({ key: 'kernel.odd', type: 'boolean', defaultValue: 'yes' }), 422, 'FLAG_INVALID');
    await expectProblem(create({ key: 'kernel.odd', type: 'boolean', defaultValue: true, rollout: { percentage: 10, value: 'x' } }), 422, 'FLAG_INVALID');

    const patch = (key: string, payload: object) => admin.inject({ method: 'PATCH', url: `/v1/kernel/flags/${key}`, payload });
    const changed = await patch('kernel.banner', { defaultValue: 'sale', targeting: [{ planTiers: ['enterprise'], value: 'vip' }] });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.json().defaultValue, 'sale');
    await expectProblem(patch('social.threads-enabled', { defaultValue: true }), 409, 'FLAG_DECLARED_IN_CODE');
    await expectProblem(patch('social.threads-enabled', { targeting: [{ planTiers: ['pro'], value: 'on' }] }), 422, 'FLAG_INVALID');
    await expectProblem(patch('social.nope', { enabled: false }), 404, 'FLAG_NOT_FOUND');

    const t = await kit.createTenant({ planTier: 'enterprise' });
    const tenant: TenantInfo = { accountId: t.accountId, planTier: 'enterprise' };
    assert.equal((await kit.kernel.flags.evaluate('kernel.banner', tenant, '')).value, 'vip', 'the change applies at once on this node');

    await expectProblem(setOverride(t.accountId, 'kernel.banner', 42), 422, 'FLAG_VALUE_INVALID');
    await expectProblem(setOverride('00000000-0000-4000-8000-000000000000', 'kernel.banner', 'x'), 404, 'ACCOUNT_NOT_FOUND');
    await expectProblem(setOverride(t.accountId, 'kernel.missing', 'x'), 404, 'FLAG_NOT_FOUND');
    assert.equal((await setOverride(t.accountId, 'kernel.banner', 'mine')).statusCode, 200);

    await expectProblem(admin.inject({ method: 'DELETE', url: '/v1/kernel/flags/social.threads-enabled' }), 409, 'FLAG_DECLARED_IN_CODE');
    assert.equal((await admin.inject({ method: 'DELETE', url: '/v1/kernel/flags/kernel.banner' })).statusCode, 204);
    await expectProblem(admin.inject({ method: 'GET', url: '/v1/kernel/flags/kernel.banner' }), 404, 'FLAG_NOT_FOUND');
    const gone = await kit.kernel.flags.evaluate('kernel.banner', tenant, 'fallback');
    assert.deepEqual([gone.value, gone.reason, gone.errorCode], ['fallback', 'ERROR', 'FLAG_NOT_FOUND']);
  });

  test('the admin API needs kernel.flags:admin and a credential', async () => {
    const t = await kit.createTenant();
    const denied = await t.as(['social.threads:read']).inject({ method: 'GET', url: '/v1/kernel/flags' });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().code, 'PERMISSION_DENIED');
    const put = await t.as(['kernel.flags:evaluate']).inject({ method: 'PUT', url: `/v1/kernel/flags/social.threads-enabled/overrides/${t.accountId}`, payload: { value: true } });
    assert.equal(put.statusCode, 403, 'a tenant cannot turn on its own flags');
    assert.equal((await kit.inject({ method: 'GET', url: '/v1/kernel/flags' })).statusCode, 401);
  });

  test('every flags route is in /openapi.json with its schemas', async () => {
    const doc = (await kit.inject({ method: 'GET', url: '/openapi.json' })).json();
    const paths = doc.paths as Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    assert.ok(paths['/v1/kernel/flags']?.get && paths['/v1/kernel/flags']?.post?.requestBody);
    assert.ok(paths['/v1/kernel/flags/{key}']?.patch?.requestBody);
    assert.ok(paths['/v1/kernel/flags/{key}/overrides/{accountId}']?.put?.requestBody);
    assert.ok(paths['/ofrep/v1/evaluate/flags/{key}']?.post?.responses['200']);
    assert.ok(paths['/ofrep/v1/evaluate/flags']?.post?.responses['304']);
  });

  test('bad input to any flags route is a 4xx problem+json', async () => {
    const t = await kit.createTenant();
    const routes = kit.kernel.host.routes.filter((r) => r.url.includes('/flags'));
    assert.ok(routes.length >= 9);
    const { checked, failures } = await runBadInputCheck(routes, t.as(['*']));
    assert.ok(checked > 20);
    assert.deepEqual(failures, []);
  });

  test('overrides are tenant data: account_id first, RLS forced, invisible to other tenants', async () => {
    const violations = await checkTenantSchema(kit.database.ownerUrl);
    assert.deepEqual(violations.filter((v) => v.table.startsWith('flag_')), []);
    const a = await kit.createTenant();
    const b = await kit.createTenant();
    await setOverride(b.accountId, 'social.threads-enabled', true);
    const client = new pg.Client({ connectionString: kit.database.appUrl });
    await client.connect();
    try {
      assert.equal((await client.query('select count(*)::int as n from flag_overrides')).rows[0].n, 0, 'no tenant, no rows');
      await client.query('begin');
      await client.query("select set_config('app.current_account_id', $1, true)", [a.accountId]);
      assert.equal((await client.query('select count(*)::int as n from flag_overrides')).rows[0].n, 0);
      await assert.rejects(client.query("insert into flag_overrides (account_id, flag_key, value) values ($1, 'social.threads-enabled', 'true')", [b.accountId]), /row-level security/);
      await client.query('rollback');
    } finally {
      await client.end();
    }
  });

  test('inside a request, a cold evaluation adds one query and a warm one none', async () => {
    const t = await kit.createTenant();
    const flags = kit.kernel.host.contextFor('kernel').get(coreServices.flags);
    let queries = 0;
    const count = () => queries++;
    await kit.kernel.tenancy.withTenant(t.accountId, async (db, tenant) => {
      kit.kernel.knex.on('query', count);
      try {
        assert.equal(await flags.isEnabled('social.threads-enabled', { tenant, db }), false);
        assert.equal(queries, 1, 'cold: the tenant’s overrides, on the request’s transaction');
        queries = 0;
        await flags.evaluate('social.max-accounts', { tenant, db }, 0);
        await flags.isEnabled('social.new-composer', { tenant, db });
        assert.equal(queries, 0, 'warm: no query at all');
      } finally {
        kit.kernel.knex.off('query', count);
      }
    });
  });

  test('a change made on one node applies on another node at once', async () => {
    const nodeB = await createKernel({
      config: kit.kernel.config,
      plugins: [socialFlagsPlugin],
      database: { ownerUrl: kit.database.ownerUrl, appUrl: kit.database.appUrl },
      migrate: 'skip',
    });
    try {
      const t = await kit.createTenant({ planTier: 'free' });
      const tenant: TenantInfo = { accountId: t.accountId, planTier: 'free' };
      // Warm node B's caches first: without NOTIFY they would hold for the TTL (a minute).
      assert.equal(await nodeB.flags.isEnabled('social.threads-enabled', tenant), false);
      assert.equal((await setOverride(t.accountId, 'social.threads-enabled', true)).statusCode, 200);
      await eventually(() => nodeB.flags.isEnabled('social.threads-enabled', tenant));

      const before = await nodeB.flags.evaluate('social.max-accounts', tenant, 0);
      assert.equal(before.value, 3);
      const patched = await admin.inject({ method: 'PATCH', url: '/v1/kernel/flags/social.max-accounts', payload: { targeting: [{ planTiers: ['free'], value: 5 }] } });
      assert.equal(patched.statusCode, 200);
      await eventually(async () => (await nodeB.flags.evaluate('social.max-accounts', tenant, 0)).value === 5);
    } finally {
      await nodeB.close();
    }
  });

  test('a node that lost its LISTEN connection reconnects and drops what it cached', async () => {
    const t = await kit.createTenant({ planTier: 'free' });
    const tenant: TenantInfo = { accountId: t.accountId, planTier: 'free' };
    assert.equal(await kit.kernel.flags.isEnabled('social.new-composer', tenant), (await kit.kernel.flags.evaluate('social.new-composer', tenant, false)).value);
    const listeners = async () =>
      (await kit.kernel.knex.raw<{ rows: { pid: number }[] }>(
        "select pid from pg_stat_activity where datname = current_database() and query = 'listen markettina_flags'",
      )).rows.map((r) => r.pid);
    const [old] = await listeners();
    assert.ok(old, 'the listener connection was found');
    await kit.kernel.knex.raw('select pg_terminate_backend(?)', [old]);
    // Written behind the kernel's back while it may not be listening.
    await kit.kernel.tenancy.withTenant(t.accountId, (db) =>
      db.raw("insert into flag_overrides (account_id, flag_key, value) values (?, 'social.threads-enabled', 'true')", [t.accountId]),
    );
    await eventually(() => kit.kernel.flags.isEnabled('social.threads-enabled', tenant));
    await eventually(async () => (await listeners()).some((pid) => pid !== old), 10_000);
  });

  test('evaluation never throws: with the database gone it answers defaults with reason ERROR', async () => {
    const knex = knexFactory({ client: 'pg', connection: kit.database.appUrl, pool: { min: 0, max: 1 } });
    const flags = new FlagService({ knex, listenUrl: kit.database.appUrl, declared: [], logger: kit.kernel.logger });
    await flags.start();
    await knex.destroy();
    try {
      const t = await kit.createTenant();
      const tenant: TenantInfo = { accountId: t.accountId, planTier: 'pro' };
      const result = await flags.evaluate('social.max-accounts', tenant, 7);
      assert.deepEqual([result.value, result.reason, result.errorCode], [7, 'ERROR', 'GENERAL']);
      assert.equal(await flags.isEnabled('social.threads-enabled', tenant), false);
      const all = await flags.evaluateAll(tenant);
      assert.ok(all.length >= 3 && all.every((r) => r.reason === 'ERROR'));
    } finally {
      await flags.stop();
    }
  });
});
