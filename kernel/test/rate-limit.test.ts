import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { createKernel, type Kernel } from '@markettina/kernel';
import type { PlanTier } from '@markettina/sdk';
import { startTestKernel, testAuthPlugin, TestTokens, type TestKernel } from '@markettina/sdk/testing';
import { createOrdersPlugin } from './fixtures/orders/plugin.js';
import { tenantTableFacts } from './fixtures/tenant-table.js';

/** Small budgets so a test can spend them: write is 3/min on free, 5/min on pro, 20/hour on starter. */
const rateLimits = {
  classes: {
    write: {
      free: { limit: 3, windowSeconds: 60 },
      starter: { limit: 20, windowSeconds: 3600 },
      pro: { limit: 5, windowSeconds: 60 },
    },
  },
};

describe('rate limits', () => {
  const tokens = new TestTokens();
  const orders = createOrdersPlugin();
  let kit: TestKernel;
  before(async () => {
    kit = await startTestKernel({ plugins: [orders.plugin, testAuthPlugin(tokens)], config: { rateLimits } });
  });
  after(() => kit.close());

  /** A caller of a new tenant on `planTier`, injecting into `kernel` (default: the kit's). */
  async function tenant(planTier: PlanTier) {
    const { accountId } = await kit.createTenant({ planTier });
    const token = tokens.issue({ id: randomUUID(), type: 'user', accountId, permissions: ['*'] });
    const inject = (opts: InjectOptions, kernel: Kernel = kit.kernel) =>
      kernel.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${token}` } });
    return { accountId, inject };
  }
  const order = { method: 'POST', url: '/v1/orders/orders/limited', payload: { item: 'pen' } } as const;
  const countOrders = (accountId: string) =>
    kit.kernel.tenancy.withTenant(accountId, async (trx) => Number(((await trx('orders').count({ n: '*' })) as [{ n: string }])[0].n));

  test('a limited route answers with the RateLimit fields, then 429 problem+json with Retry-After', async () => {
    const caller = await tenant('free');
    for (const remaining of [2, 1, 0]) {
      const res = await caller.inject(order);
      assert.equal(res.statusCode, 201);
      assert.equal(res.headers['ratelimit-policy'], '"write";q=3;w=60');
      const [, r, t] = /^"write";r=(\d+);t=(\d+)$/.exec(res.headers['ratelimit'] as string) ?? [];
      assert.equal(Number(r), remaining);
      assert.ok(Number(t) > 0 && Number(t) <= 60, `t=${t} is the time until the budget is whole again`);
    }
    const refused = await caller.inject(order);
    assert.equal(refused.statusCode, 429);
    assert.match(refused.headers['content-type'] as string, /^application\/problem\+json/);
    assert.equal(refused.json().code, 'RATE_LIMITED');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 20, `Retry-After ${refused.headers['retry-after']}`);
    assert.equal(refused.headers['ratelimit-policy'], '"write";q=3;w=60');
    assert.match(refused.headers['ratelimit'] as string, /^"write";r=0;t=\d+$/);
    assert.equal(await countOrders(caller.accountId), 3, 'a refused request has no effect');
  });

  test('budgets follow the plan tier and the route class, and belong to one tenant', async () => {
    const pro = await tenant('pro');
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await pro.inject(order)).statusCode);
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429]);

    const read = await pro.inject({ method: 'GET', url: '/v1/orders/orders/count' });
    assert.equal(read.statusCode, 200, 'the read class has its own budget');
    assert.equal(read.headers['ratelimit-policy'], '"read";q=1200;w=60', 'default read budget of the pro tier');

    const other = await tenant('pro');
    assert.equal((await other.inject(order)).statusCode, 201, "another tenant's budget is untouched");
  });

  test('two kernels on one database never allow more than the limit between them', async () => {
    const second = await createKernel({
      config: kit.kernel.config,
      plugins: [orders.plugin, testAuthPlugin(tokens)],
      database: { ownerUrl: kit.database.ownerUrl, appUrl: kit.database.appUrl },
      migrate: 'skip',
    });
    try {
      const caller = await tenant('starter');
      const attempts = Array.from({ length: 120 }, (_, i) => caller.inject(order, i % 2 === 0 ? kit.kernel : second));
      const statuses = (await Promise.all(attempts)).map((r) => r.statusCode);
      assert.deepEqual(new Set(statuses), new Set([201, 429]));
      assert.equal(statuses.filter((s) => s === 201).length, 20, 'exactly the starter budget of 20 per hour');
      assert.equal(await countOrders(caller.accountId), 20);
    } finally {
      await second.close();
    }
  });

  test('plugins meter outbound calls per connected account with coreServices.rateLimits', async () => {
    const caller = await tenant('free');
    const publish = async (account: string) => (await caller.inject({ method: 'POST', url: `/v1/orders/publish/${account}` })).json();
    assert.deepEqual(await publish('acct-1'), { allowed: true, remaining: 1, retryAfterMs: 0, resetMs: (await publish('acct-2')).resetMs });
    assert.equal((await publish('acct-1')).allowed, true);
    const refused = await publish('acct-1');
    assert.equal(refused.allowed, false);
    assert.ok(refused.retryAfterMs > 1_700_000 && refused.retryAfterMs <= 1_800_000, 'one post per 30 minutes comes back');
    assert.equal((await publish('acct-2')).allowed, true, 'each connected account has its own budget');
  });

  test('budgets are tenant rows under forced RLS, and the sweep forgets full ones', async () => {
    assert.deepEqual(await tenantTableFacts(kit.database.ownerUrl, 'rate_limits'), { rls: true, forced: true, pkFirst: 'account_id', tenantPolicy: true });
    const caller = await tenant('free');
    await caller.inject(order);
    const client = new pg.Client({ connectionString: kit.database.appUrl });
    await client.connect();
    try {
      assert.equal((await client.query('select count(*)::int as n from rate_limits')).rows[0].n, 0, 'no tenant set means no budgets');
      await client.query('begin');
      await client.query("select set_config('app.current_account_id', $1, true)", [caller.accountId]);
      assert.deepEqual((await client.query('select bucket from rate_limits')).rows, [{ bucket: 'route:write' }]);
      await client.query('rollback');
    } finally {
      await client.end();
    }
    const limiter = kit.kernel.rateLimits;
    await limiter.consume({ accountId: caller.accountId, bucket: 'short' }, { name: 'short', limit: 1000, windowSeconds: 1 });
    await new Promise((r) => setTimeout(r, 50));
    assert.ok((await limiter.sweep()) >= 1, 'the refilled budget is swept');
    const left = await kit.kernel.tenancy.withTenant(caller.accountId, (trx) => trx('rate_limits').pluck('bucket'));
    assert.deepEqual(left, ['route:write'], 'a budget still in use is kept');
    assert.ok(kit.kernel.jobs.scheduleKeys.includes('kernel/rate-limit-sweep'), 'the jobs service runs the sweep');
  });

  test('the memory store (rateLimits.store = "memory") enforces the same budgets', async () => {
    const single = await startTestKernel({ plugins: [createOrdersPlugin().plugin], config: { rateLimits: { ...rateLimits, store: 'memory' } } });
    try {
      const caller = (await single.createTenant({ planTier: 'free' })).as();
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await caller.inject(order)).statusCode);
      assert.deepEqual(statuses, [201, 201, 201, 429]);
      const refused = await caller.inject(order);
      assert.equal(refused.headers['ratelimit-policy'], '"write";q=3;w=60');
      assert.ok(Number(refused.headers['retry-after']) >= 1);
    } finally {
      await single.close();
    }
  });
});
