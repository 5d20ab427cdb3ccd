import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import pg from 'pg';
import { checkTenantSchema, runBadInputCheck, startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { EventPublishError, toCloudEvent, type DomainEvent } from '@markettina/sdk';
import { ensureEventPartitions, partitionName } from '@markettina/kernel';
import { deliverNext, EventCatalog } from '../src/events/index.js';
import { auditPlugin, behaviour, LEDGER_EVENT, ledgerPlugin, type LedgerData } from './fixtures/events/plugin.js';
import { deliveriesOf, effectsOf, inTenant, settled, waitUntil } from './fixtures/events/helpers.js';

const publish = (kit: TestKernel, accountId: string, data: LedgerData, aggregateId?: string) =>
  kit.kernel.tenancy.withTenant(accountId, (trx) => kit.kernel.events.publish(trx, { type: LEDGER_EVENT, aggregateId, data }));

describe('event bus', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startTestKernel({
      plugins: [ledgerPlugin, auditPlugin],
      config: { events: { concurrency: 4, pollIntervalMs: 100, maxAttempts: 3, backoff: { baseMs: 100, maxMs: 1000 } } },
    });
  });
  after(() => kit?.close());
  beforeEach(() => {
    behaviour.failing.clear();
    behaviour.maxDelayMs = 0;
    behaviour.attempts.length = 0;
  });

  test('a committed publish reaches every enabled subscriber once, with a CloudEvents envelope', async () => {
    const tenant = await kit.createTenant();
    const res = await tenant.as().inject({ method: 'POST', url: '/v1/ledger/entries', payload: { seq: 1, aggregateId: 'a-1' } });
    assert.equal(res.statusCode, 201);
    const published = res.json() as DomainEvent<LedgerData>;
    assert.equal(published.source, 'ledger');
    assert.deepEqual(published.data, { seq: 1, note: '' }, 'schema defaults are applied');

    const deliveries = await settled(kit.kernel.knex, tenant.accountId, 2);
    assert.deepEqual(deliveries.map((d) => [`${d.plugin_id}/${d.subscriber_id}`, d.state, d.attempts]).sort(), [
      ['audit/copy', 'done', 1],
      ['ledger/recorder', 'done', 1],
    ]);
    const effects = await effectsOf(kit.kernel.knex, tenant.accountId);
    assert.deepEqual(effects.map((e) => e.subscriber).sort(), ['audit/copy', 'ledger/recorder']);

    const seen = behaviour.attempts.find((a) => a.event.id === published.id)!.event;
    assert.deepEqual(seen, published);
    const cloud = toCloudEvent(seen);
    assert.deepEqual(
      { specversion: cloud.specversion, id: cloud.id, source: cloud.source, type: cloud.type, subject: cloud.subject, accountid: cloud.accountid },
      { specversion: '1.0', id: published.id, source: 'ledger', type: LEDGER_EVENT, subject: 'entries/1', accountid: tenant.accountId },
    );
    assert.ok(!Number.isNaN(Date.parse(cloud.time)));
  });

  test('a rolled-back publish writes and delivers nothing', async () => {
    const tenant = await kit.createTenant();
    const res = await tenant.as().inject({ method: 'POST', url: '/v1/ledger/entries', payload: { seq: 2, rollback: true } });
    assert.equal(res.statusCode, 409);
    await assert.rejects(
      kit.kernel.tenancy.withTenant(tenant.accountId, async (trx) => {
        await kit.kernel.events.publish(trx, { type: LEDGER_EVENT, data: { seq: 3 } });
        throw new Error('abort');
      }),
      /abort/,
    );
    // A later event proves the dispatcher is running; the rolled-back ones never show up.
    await publish(kit, tenant.accountId, { seq: 4 });
    await settled(kit.kernel.knex, tenant.accountId, 2);
    const events = await inTenant(kit.kernel.knex, tenant.accountId, (trx) => trx('domain_events').select('data'));
    assert.deepEqual(events.map((e: { data: LedgerData }) => e.data.seq), [4]);
    assert.deepEqual((await effectsOf(kit.kernel.knex, tenant.accountId)).map((e) => e.seq), [4, 4]);
  });

  test('publishing an undeclared type, invalid data or outside a tenant is refused', async () => {
    const tenant = await kit.createTenant();
    const attempt = (input: Parameters<typeof kit.kernel.events.publish>[1]) =>
      kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => kit.kernel.events.publish(trx, input));
    await assert.rejects(attempt({ type: 'ledger.entry.unknown', data: {} }), (e: EventPublishError) => e.code === 'EVENT_TYPE_UNDECLARED');
    await assert.rejects(attempt({ type: LEDGER_EVENT, data: { seq: 'one' } }), (e: EventPublishError) => e.code === 'EVENT_DATA_INVALID' && /seq/.test(e.message));
    await assert.rejects(attempt({ type: LEDGER_EVENT, data: { seq: 1, extra: true } }), (e: EventPublishError) => e.code === 'EVENT_DATA_INVALID');
    await assert.rejects(
      kit.kernel.knex.transaction((trx) => kit.kernel.events.publish(trx, { type: LEDGER_EVENT, data: { seq: 1 } })),
      (e: EventPublishError) => e.code === 'EVENT_NO_TENANT',
    );
    assert.deepEqual(await deliveriesOf(kit.kernel.knex, tenant.accountId), []);
  });

  test('a tenant that disables a plugin gets no new deliveries for it', async () => {
    const tenant = await kit.createTenant();
    await kit.kernel.accounts.setPluginState(tenant.accountId, 'audit', { enabled: false });
    await publish(kit, tenant.accountId, { seq: 10 });
    const deliveries = await settled(kit.kernel.knex, tenant.accountId, 1);
    assert.deepEqual(deliveries.map((d) => `${d.plugin_id}/${d.subscriber_id}`), ['ledger/recorder']);

    await kit.kernel.accounts.setPluginState(tenant.accountId, 'audit', { enabled: true });
    await publish(kit, tenant.accountId, { seq: 11 });
    await settled(kit.kernel.knex, tenant.accountId, 3);
    const effects = await effectsOf(kit.kernel.knex, tenant.accountId);
    assert.deepEqual(effects.filter((e) => e.subscriber === 'audit/copy').map((e) => e.seq), [11]);
  });

  test('a delivery whose plugin was disabled after publishing is dead-lettered, not handled', async () => {
    const tenant = await kit.createTenant();
    await kit.kernel.dispatcher.stop();
    try {
      await publish(kit, tenant.accountId, { seq: 12 });
      await kit.kernel.accounts.setPluginState(tenant.accountId, 'audit', { enabled: false });
    } finally {
      kit.kernel.dispatcher.start();
    }
    const deliveries = await settled(kit.kernel.knex, tenant.accountId, 2);
    const audit = deliveries.find((d) => d.plugin_id === 'audit')!;
    assert.equal(audit.state, 'dead');
    assert.match(audit.last_error!, /"audit" plugin is not enabled/);
    assert.deepEqual((await effectsOf(kit.kernel.knex, tenant.accountId)).map((e) => e.subscriber), ['ledger/recorder']);
  });

  test('in a batch, a failing handler rolls back only its own effects and is retried alone', async () => {
    const tenant = await kit.createTenant({ enable: ['ledger'] });
    await kit.kernel.dispatcher.stop();
    try {
      await kit.kernel.tenancy.withTenant(tenant.accountId, async (trx) => {
        for (const seq of [501, 502, 503]) await kit.kernel.events.publish(trx, { type: LEDGER_EVENT, data: { seq } });
      });
      behaviour.failing.add(502);
      const deps = {
        knex: kit.kernel.knex,
        host: kit.kernel.host,
        catalog: new EventCatalog(kit.kernel.host.plugins),
        retry: { maxAttempts: 3, baseMs: 60_000, maxMs: 60_000 },
        logger: kit.kernel.logger,
        batchSize: 10,
      };
      assert.equal(await deliverNext(deps, ['ledger/recorder']), 3);
      assert.deepEqual(behaviour.attempts.map((a) => a.seq), [501, 502, 503], 'one transaction handled the three');
      const states = (await deliveriesOf(kit.kernel.knex, tenant.accountId)).map((d) => [d.state, d.attempts, d.last_error !== null]);
      assert.deepEqual(states, [['done', 1, false], ['pending', 1, true], ['done', 1, false]]);
      assert.deepEqual((await effectsOf(kit.kernel.knex, tenant.accountId)).map((e) => e.seq), [501, 503]);
      assert.equal(await deliverNext(deps, ['ledger/recorder']), 0, 'the failed one waits out its backoff');
    } finally {
      kit.kernel.dispatcher.start();
    }
  });

  test('events of one aggregate reach each subscriber in order under concurrency', async () => {
    const tenant = await kit.createTenant();
    behaviour.maxDelayMs = 8;
    const aggregates = ['order-a', 'order-b', 'order-c', 'order-d'];
    const perAggregate = 12;
    // Each aggregate's events commit together, so they are all due at once and the slots race for them.
    await Promise.all(
      aggregates.map((aggregate) =>
        kit.kernel.tenancy.withTenant(tenant.accountId, async (trx) => {
          for (let seq = 0; seq < perAggregate; seq++) await kit.kernel.events.publish(trx, { type: LEDGER_EVENT, aggregateId: aggregate, data: { seq } });
        }),
      ),
    );
    await settled(kit.kernel.knex, tenant.accountId, aggregates.length * perAggregate * 2, 20_000);
    const effects = await effectsOf(kit.kernel.knex, tenant.accountId);
    for (const subscriber of ['ledger/recorder', 'audit/copy']) {
      for (const aggregate of aggregates) {
        const order = effects.filter((e) => e.subscriber === subscriber && e.aggregate_id === aggregate).map((e) => e.seq);
        assert.deepEqual(order, [...Array(perAggregate).keys()], `${subscriber} saw ${aggregate} out of order`);
      }
    }
  });

  test('publishers of one aggregate are serialised, so delivery order is commit order', async () => {
    const tenant = await kit.createTenant({ enable: ['ledger'] });
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((r) => (releaseFirst = r));
    let firstPublished!: () => void;
    const firstHasPublished = new Promise<void>((r) => (firstPublished = r));
    const first = kit.kernel.tenancy.withTenant(tenant.accountId, async (trx) => {
      await kit.kernel.events.publish(trx, { type: LEDGER_EVENT, aggregateId: 'race', data: { seq: 1 } });
      firstPublished();
      await firstMayCommit;
    });
    await firstHasPublished;
    // Published second, in a transaction that would commit first if it were not made to wait.
    const second = publish(kit, tenant.accountId, { seq: 2 }, 'race');
    await new Promise((r) => setTimeout(r, 300));
    releaseFirst();
    await Promise.all([first, second]);
    await settled(kit.kernel.knex, tenant.accountId, 2);
    assert.deepEqual((await effectsOf(kit.kernel.knex, tenant.accountId)).map((e) => e.seq), [1, 2]);
  });

  test('a failing handler is retried with growing backoff, dead-lettered with its last error, and replayed over REST', async () => {
    const tenant = await kit.createTenant({ enable: ['ledger'] });
    const admin = tenant.as(['kernel.events:admin']);
    behaviour.failing.add(9001);
    await publish(kit, tenant.accountId, { seq: 9001 });
    const [dead] = await settled(kit.kernel.knex, tenant.accountId, 1);
    assert.equal(dead!.state, 'dead');
    assert.equal(dead!.attempts, 3);
    assert.match(dead!.last_error!, /ledger is failing for entry 9001/);
    assert.deepEqual(await effectsOf(kit.kernel.knex, tenant.accountId), [], 'a failed attempt leaves no effect');
    const times = behaviour.attempts.filter((a) => a.seq === 9001).map((a) => a.at);
    assert.equal(times.length, 3);
    // Equal jitter: each wait is at least half its nominal 100 ms, then 200 ms.
    assert.ok(times[1]! - times[0]! >= 50, `first retry came after ${times[1]! - times[0]!} ms`);
    assert.ok(times[2]! - times[1]! >= 100, `second retry came after ${times[2]! - times[1]!} ms`);

    const listed = await admin.inject({ method: 'GET', url: '/v1/admin/events/deliveries?state=dead' });
    assert.equal(listed.statusCode, 200);
    const item = listed.json().items[0];
    assert.equal(item.id, String(dead!.id));
    assert.equal(item.event.type, LEDGER_EVENT);
    assert.deepEqual(item.subscriber, { pluginId: 'ledger', subscriberId: 'recorder' });
    assert.match(item.lastError, /ledger is failing/);

    behaviour.failing.delete(9001);
    const replayed = await admin.inject({ method: 'POST', url: `/v1/admin/events/deliveries/${dead!.id}/replay` });
    assert.equal(replayed.statusCode, 200);
    assert.equal(replayed.json().state, 'pending');
    assert.equal(replayed.json().attempts, 0);
    const [done] = await settled(kit.kernel.knex, tenant.accountId, 1);
    assert.equal(done!.state, 'done');
    assert.deepEqual((await effectsOf(kit.kernel.knex, tenant.accountId)).map((e) => e.seq), [9001]);

    const again = await admin.inject({ method: 'POST', url: `/v1/admin/events/deliveries/${dead!.id}/replay` });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'DELIVERY_NOT_DEAD');
    assert.match(again.headers['content-type'] as string, /^application\/problem\+json/);
    const missing = await admin.inject({ method: 'POST', url: '/v1/admin/events/deliveries/999999999/replay' });
    assert.equal(missing.statusCode, 404);
    assert.equal((await admin.inject({ method: 'GET', url: '/v1/admin/events/deliveries?state=dead' })).json().items.length, 0);
  });

  test('the deliveries API needs kernel.events:admin, shows only its own account and pages with a cursor', async () => {
    const a = await kit.createTenant({ enable: ['ledger'] });
    const b = await kit.createTenant({ enable: ['ledger'] });
    for (let seq = 0; seq < 5; seq++) await publish(kit, a.accountId, { seq });
    await publish(kit, b.accountId, { seq: 100 });
    await settled(kit.kernel.knex, a.accountId, 5);

    const denied = await a.as(['ledger.entries:write']).inject({ method: 'GET', url: '/v1/admin/events/deliveries' });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().code, 'PERMISSION_DENIED');
    assert.equal((await kit.inject({ method: 'GET', url: '/v1/admin/events/deliveries' })).statusCode, 401);

    const admin = a.as(['kernel.events:admin']);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/admin/events/deliveries?state=done&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await admin.inject({ method: 'GET', url })).json() as { items: { id: string }[]; nextCursor: string | null };
      ids.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    const own = (await deliveriesOf(kit.kernel.knex, a.accountId)).map((d) => String(d.id)).reverse();
    assert.deepEqual(ids, own, 'newest first, every delivery once, none of the other account');

    const bDelivery = (await deliveriesOf(kit.kernel.knex, b.accountId))[0]!;
    assert.equal((await admin.inject({ method: 'GET', url: `/v1/admin/events/deliveries/${bDelivery.id}` })).statusCode, 404);
    const badCursor = await admin.inject({ method: 'GET', url: '/v1/admin/events/deliveries?cursor=bm9wZQ' });
    assert.equal(badCursor.statusCode, 400);
    assert.equal(badCursor.json().code, 'INVALID_CURSOR');

    const routes = kit.kernel.host.routes.filter((r) => r.url.startsWith('/v1/admin/events/') && r.method !== 'HEAD');
    assert.equal(routes.length, 3);
    const { failures } = await runBadInputCheck(routes, a.as(['*']));
    assert.deepEqual(failures, []);
  });

  test('partitions exist three months ahead, carry the tenant policy, and the app role can add more', async () => {
    const partitions = async () => {
      const client = new pg.Client({ connectionString: kit.database.ownerUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string; rls: boolean; forced: boolean }>(`
          select c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as forced
          from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'domain_events'::regclass order by c.relname`);
        return rows;
      } finally {
        await client.end();
      }
    };
    const now = new Date();
    const month = (ahead: number) => partitionName(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1)));
    const before = await partitions();
    for (const ahead of [0, 1, 2, 3]) assert.ok(before.some((p) => p.name === month(ahead)), `missing ${month(ahead)}`);
    assert.ok(before.every((p) => p.rls && p.forced), 'every partition has row level security forced');

    assert.equal(await ensureEventPartitions(kit.kernel.knex, 5), before.some((p) => p.name === month(4)) ? 0 : 2);
    assert.equal(await ensureEventPartitions(kit.kernel.knex, 5), 0);
    const after = await partitions();
    assert.ok(after.some((p) => p.name === month(5)));
    assert.ok(after.every((p) => p.rls && p.forced));
    await assert.rejects(ensureEventPartitions(kit.kernel.knex, 100), /between 0 and 36/);
    assert.ok(kit.kernel.jobs.scheduleKeys.includes('kernel/event-partitions'), 'a cluster job keeps them ahead while the deployment runs');
  });

  test('the app role sees no event rows without a tenant, and the event tables pass the schema check', async () => {
    const tenant = await kit.createTenant({ enable: ['ledger'] });
    await publish(kit, tenant.accountId, { seq: 1 });
    const tables = ['domain_events', 'event_deliveries'];
    const app = new pg.Client({ connectionString: kit.database.appUrl });
    await app.connect();
    try {
      for (const table of [...tables, partitionName(new Date())]) {
        const { rows } = await app.query(`select count(*)::int as n from ${table}`);
        assert.equal(rows[0].n, 0, `${table} leaks rows without a tenant`);
      }
    } finally {
      await app.end();
    }
    const violations = await checkTenantSchema(kit.database.ownerUrl);
    assert.deepEqual(violations.filter((v) => [...tables, 'ledger_effects'].includes(v.table)), []);
  });
});
