import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createKernel, type Kernel } from '@markettina/kernel';
import { startTestKernel, testAuthPlugin, TestTokens, type TestKernel } from '@markettina/sdk/testing';
import { createOrdersPlugin } from './fixtures/orders/plugin.js';

describe('idempotency under concurrency', () => {
  const tokens = new TestTokens();
  const orders = createOrdersPlugin();
  let kit: TestKernel;
  let second: Kernel;
  before(async () => {
    kit = await startTestKernel({ plugins: [orders.plugin, testAuthPlugin(tokens)] });
    second = await createKernel({
      config: kit.kernel.config,
      plugins: [orders.plugin, testAuthPlugin(tokens)],
      database: { ownerUrl: kit.database.ownerUrl, appUrl: kit.database.appUrl },
      migrate: 'skip',
    });
  });
  after(async () => {
    await second.close();
    await kit.close();
  });

  async function caller() {
    const { accountId } = await kit.createTenant();
    const token = tokens.issue({ id: randomUUID(), type: 'user', accountId, permissions: ['*'] });
    const inject = (opts: InjectOptions, kernel: Kernel = kit.kernel) =>
      kernel.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${token}` } });
    return { accountId, inject };
  }
  const countOrders = (accountId: string) =>
    kit.kernel.tenancy.withTenant(accountId, async (trx) => Number(((await trx('orders').count({ n: '*' })) as [{ n: string }])[0].n));

  test('50 concurrent identical requests with one key, on two nodes, have exactly one effect', async () => {
    const c = await caller();
    const request = { method: 'POST', url: '/v1/orders/orders/slow', payload: { item: 'pen' }, headers: { 'idempotency-key': `"${randomUUID()}"` } } as const;
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => c.inject(request, i % 2 === 0 ? kit.kernel : second)));

    assert.equal(await countOrders(c.accountId), 1);
    const created = responses.filter((r) => r.statusCode === 201);
    const conflicts = responses.filter((r) => r.statusCode === 409);
    assert.equal(created.length + conflicts.length, 50, `statuses: ${responses.map((r) => r.statusCode).join(',')}`);
    const originals = created.filter((r) => r.headers['idempotent-replayed'] === undefined);
    assert.equal(originals.length, 1, 'one original response, the rest replays or conflicts');
    for (const r of created) assert.equal(r.body, originals[0]!.body);
    for (const r of conflicts) assert.equal(r.json().code, 'IDEMPOTENCY_KEY_IN_USE');
  });

  test('a retry while the first request is in flight is 409, and the result replays afterwards', async () => {
    const c = await caller();
    let entered!: () => void;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    orders.control.hold = { entered, release: new Promise<void>((resolve) => (release = resolve)) };
    const request = { method: 'POST', url: '/v1/orders/orders/slow', payload: { item: 'pen' }, headers: { 'idempotency-key': `"${randomUUID()}"` } } as const;
    try {
      const first = c.inject(request);
      await inFlight;
      const retry = await c.inject(request, second);
      assert.equal(retry.statusCode, 409);
      assert.equal(retry.json().code, 'IDEMPOTENCY_KEY_IN_USE');
      assert.match(retry.headers['content-type'] as string, /^application\/problem\+json/);
      assert.equal(retry.headers['retry-after'], '1');
      release();
      assert.equal((await first).statusCode, 201);
      const later = await c.inject(request, second);
      assert.equal(later.statusCode, 201);
      assert.equal(later.headers['idempotent-replayed'], 'true');
      assert.equal(later.body, (await first).body);
    } finally {
      release();
      orders.control.hold = undefined;
    }
    assert.equal(await countOrders(c.accountId), 1);
  });
});
