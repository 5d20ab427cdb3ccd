import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startProcess, startTestKernel, type TestKernel, type TestProcess } from '@markettina/sdk/testing';
import { auditPlugin, LEDGER_EVENT, ledgerPlugin } from './fixtures/events/plugin.js';
import { deliveriesOf, effectsOf, settled } from './fixtures/events/helpers.js';

const NODE_SCRIPT = fileURLToPath(new URL('./fixtures/events/node.ts', import.meta.url));

/**
 * Dispatchers in separate OS processes against one database: this process only publishes
 * and inspects (its own dispatcher is off); the nodes do all the handling.
 */
describe('event dispatch across processes', () => {
  let kit: TestKernel;
  const nodes: TestProcess[] = [];
  const trio: TestProcess[] = [];
  const node = (env: Record<string, string> = {}) => {
    const n = startProcess(NODE_SCRIPT, { EVENTS_NODE_APP_URL: kit.database.appUrl, EVENTS_NODE_OWNER_URL: kit.database.ownerUrl, ...env });
    nodes.push(n);
    return n;
  };

  before(async () => {
    kit = await startTestKernel({ plugins: [ledgerPlugin, auditPlugin], config: { events: { dispatcher: false } } });
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    await kit?.close();
  });

  test('a node killed with SIGKILL mid-handler loses nothing, and the effect happens exactly once after restart', async () => {
    const tenant = await kit.createTenant({ enable: ['ledger'] });
    const event = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => kit.kernel.events.publish(trx, { type: LEDGER_EVENT, data: { seq: 1 } }));

    const doomed = node({ EVENTS_NODE_HOLD: '1' });
    assert.equal(await doomed.waitForLine(/^holding /), `holding ${event.id}`);
    // The handler has written its effect but not committed: nothing is visible, the delivery is still pending.
    assert.deepEqual(await effectsOf(kit.kernel.knex, tenant.accountId), []);
    assert.deepEqual((await deliveriesOf(kit.kernel.knex, tenant.accountId)).map((d) => d.state), ['pending']);
    await doomed.kill();
    assert.equal(doomed.child.signalCode, 'SIGKILL');

    // The restarted cluster: three nodes, which the next test goes on using.
    trio.push(...[1, 2, 3].map(() => node({ EVENTS_NODE_MAX_DELAY_MS: '5' })));
    await Promise.all(trio.map((n) => n.waitForLine(/^ready$/)));
    const [delivery] = await settled(kit.kernel.knex, tenant.accountId, 1, 20_000);
    assert.equal(delivery!.state, 'done');
    const effects = await effectsOf(kit.kernel.knex, tenant.accountId);
    assert.equal(effects.length, 1, 'exactly one effect');
    assert.equal(effects[0]!.event_id, event.id);
    assert.ok(trio.some((n) => n.child.pid === effects[0]!.pid));
  });

  test('three dispatcher processes handle every delivery exactly once, each aggregate in order', async () => {
    assert.equal(trio.length, 3, 'the nodes of the previous test are running');
    const tenant = await kit.createTenant();

    const aggregates = ['a', 'b', 'c', 'd', 'e', 'f'];
    const perAggregate = 10;
    await Promise.all(
      aggregates.map((aggregate) =>
        kit.kernel.tenancy.withTenant(tenant.accountId, async (trx) => {
          for (let seq = 0; seq < perAggregate; seq++) await kit.kernel.events.publish(trx, { type: LEDGER_EVENT, aggregateId: aggregate, data: { seq } });
        }),
      ),
    );
    const total = aggregates.length * perAggregate;
    const deliveries = await settled(kit.kernel.knex, tenant.accountId, total * 2, 25_000);
    assert.ok(deliveries.every((d) => d.state === 'done' && d.attempts === 1));

    const effects = await effectsOf(kit.kernel.knex, tenant.accountId);
    assert.equal(effects.length, total * 2, 'one effect per delivery, no duplicates');
    const perDelivery = new Set(effects.map((e) => `${e.event_id}/${e.subscriber}`));
    assert.equal(perDelivery.size, total * 2);
    for (const subscriber of ['ledger/recorder', 'audit/copy']) {
      for (const aggregate of aggregates) {
        const order = effects.filter((e) => e.subscriber === subscriber && e.aggregate_id === aggregate).map((e) => e.seq);
        assert.deepEqual(order, [...Array(perAggregate).keys()], `${subscriber} saw ${aggregate} out of order`);
      }
    }
    const pids = new Set(effects.map((e) => e.pid));
    assert.ok(pids.size >= 2, `work was shared between processes (${pids.size} took part)`);
    await Promise.all(trio.map((n) => n.stop()));
  });
});
