import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startTestKernel, type TestKernel, type TestPrincipal } from '@markettina/sdk/testing';
import { createOrdersPlugin } from './fixtures/orders/plugin.js';
import { routeBootError } from './fixtures/route-boot.js';
import { tenantTableFacts } from './fixtures/tenant-table.js';

describe('idempotency keys', () => {
  const orders = createOrdersPlugin();
  let kit: TestKernel;
  before(async () => {
    kit = await startTestKernel({ plugins: [orders.plugin] });
  });
  after(() => kit.close());

  const post = (caller: TestPrincipal, url: string, payload: object, key?: string) =>
    caller.inject({ method: 'POST', url: `/v1/orders${url}`, payload, headers: key === undefined ? {} : { 'idempotency-key': key } });
  const rows = (accountId: string, table = 'orders') =>
    kit.kernel.tenancy.withTenant(accountId, async (trx) => Number(((await trx(table).count({ n: '*' })) as [{ n: string }])[0].n));
  const newKey = () => `"${randomUUID()}"`;

  test('a completed request replays its status, headers and body, marked as a replay', async () => {
    const t = await kit.createTenant();
    const caller = t.as();
    const key = newKey();
    const first = await post(caller, '/orders', { item: 'pen', quantity: 2 }, key);
    assert.equal(first.statusCode, 201);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    assert.equal(first.json().internal, undefined, 'the body is serialised through the response schema');
    const again = await post(caller, '/orders', { quantity: 2, item: 'pen' }, key);
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body, first.body);
    assert.equal(again.headers['content-type'], first.headers['content-type']);
    assert.equal(again.headers['location'], first.headers['location']);
    assert.notEqual(again.headers['x-request-id'], first.headers['x-request-id'], 'per-exchange headers are not replayed');
    assert.equal(await rows(t.accountId), 1);
    assert.equal(orders.control.runs.create, 1, 'the handler ran once');
  });

  test('the same key for a different request is 422; a route that requires a key and gets none is 400', async () => {
    const caller = (await kit.createTenant()).as();
    const key = newKey();
    assert.equal((await post(caller, '/orders', { item: 'pen' }, key)).statusCode, 201);
    for (const [url, payload] of [['/orders', { item: 'ink' }], ['/orders/optional', { item: 'pen' }]] as const) {
      const reused = await post(caller, url, payload, key);
      assert.equal(reused.statusCode, 422);
      assert.match(reused.headers['content-type'] as string, /^application\/problem\+json/);
      assert.equal(reused.json().code, 'IDEMPOTENCY_KEY_REUSED');
    }
    const missing = await post(caller, '/orders', { item: 'pen' });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().code, 'IDEMPOTENCY_KEY_MISSING');
    assert.match(missing.headers['content-type'] as string, /^application\/problem\+json/);
    const invalid = await post(caller, '/orders', { item: 'pen' }, 'not a token');
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().code, 'IDEMPOTENCY_KEY_INVALID');
  });

  test('keys are scoped to tenant and principal', async () => {
    const t = await kit.createTenant();
    const alice = t.as(['*'], randomUUID());
    const bob = t.as(['*'], randomUUID());
    const other = (await kit.createTenant()).as(['*'], alice.principal.id);
    const key = newKey();
    for (const caller of [alice, bob, other]) {
      const res = await post(caller, '/orders', { item: 'pen' }, key);
      assert.equal(res.statusCode, 201);
      assert.equal(res.headers['idempotent-replayed'], undefined);
    }
    assert.equal(await rows(t.accountId), 2);
  });

  test('an optional key is honoured when sent and not needed otherwise', async () => {
    const t = await kit.createTenant();
    const caller = t.as();
    assert.equal((await post(caller, '/orders/optional', { item: 'pen' })).statusCode, 201);
    assert.equal((await post(caller, '/orders/optional', { item: 'pen' })).statusCode, 201);
    const key = newKey();
    await post(caller, '/orders/optional', { item: 'pen' }, key);
    assert.equal((await post(caller, '/orders/optional', { item: 'pen' }, key)).headers['idempotent-replayed'], 'true');
    assert.equal(await rows(t.accountId), 3);
  });

  test('a 5xx does not use up the key: the retry runs again and its effect happens once', async () => {
    const t = await kit.createTenant();
    const caller = t.as();
    const key = newKey();
    orders.control.failures = 1;
    assert.equal((await post(caller, '/orders/flaky', { item: 'pen' }, key)).statusCode, 500);
    assert.equal(await rows(t.accountId), 0, "the failed attempt's effects rolled back");
    assert.equal(await rows(t.accountId, 'idempotency_keys'), 0);
    const retry = await post(caller, '/orders/flaky', { item: 'pen' }, key);
    assert.equal(retry.statusCode, 201);
    assert.equal(retry.headers['idempotent-replayed'], undefined);
    assert.equal((await post(caller, '/orders/flaky', { item: 'pen' }, key)).headers['idempotent-replayed'], 'true');
    assert.equal(await rows(t.accountId), 1);
  });

  test('a client error the handler raised is stored and replayed, without its effects', async () => {
    const t = await kit.createTenant();
    const caller = t.as();
    const key = newKey();
    const first = await post(caller, '/orders/rejected', { item: 'dynamite' }, key);
    assert.equal(first.statusCode, 422);
    assert.equal(first.json().code, 'ORDER_REJECTED');
    const again = await post(caller, '/orders/rejected', { item: 'dynamite' }, key);
    assert.equal(again.statusCode, 422);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.match(again.headers['content-type'] as string, /^application\/problem\+json/);
    assert.deepEqual({ ...(again.json() as object), requestId: null }, { ...(first.json() as object), requestId: null });
    assert.equal(orders.control.runs.rejected, 1);
    assert.equal(await rows(t.accountId), 0, "the rejected order's insert rolled back to the savepoint");
  });

  test('the stored response commits with the effects: a failed commit keeps neither', async () => {
    const t = await kit.createTenant();
    const caller = t.as();
    assert.equal((await post(caller, '/orders', { item: 'pen', ref: 'R1' }, newKey())).statusCode, 201);
    // `ref` is unique but checked only at commit: this handler succeeds, then COMMIT fails.
    const key = newKey();
    const clash = await post(caller, '/orders', { item: 'pen', ref: 'R1' }, key);
    assert.equal(clash.statusCode, 409);
    assert.equal(clash.json().code, 'ALREADY_EXISTS');
    assert.equal(await rows(t.accountId, 'idempotency_keys'), 1, 'only the first request holds a key');
    const retry = await post(caller, '/orders', { item: 'pen', ref: 'R1' }, key);
    assert.equal(retry.statusCode, 409);
    assert.equal(retry.headers['idempotent-replayed'], undefined, 'nothing was stored to replay');
  });

  test('keys expire: an expired key runs again, and the sweep deletes expired keys of every tenant', async () => {
    const a = await kit.createTenant();
    const b = await kit.createTenant();
    const key = newKey();
    await post(a.as(['*'], 'p1'), '/orders', { item: 'pen' }, key);
    await post(b.as(['*'], 'p1'), '/orders', { item: 'pen' }, key);
    await post(b.as(['*'], 'p1'), '/orders', { item: 'pen' }, newKey());
    const owner = new pg.Client({ connectionString: kit.database.ownerUrl });
    await owner.connect();
    try {
      for (const t of [a, b]) {
        await owner.query('begin');
        await owner.query("select set_config('app.current_account_id', $1, true)", [t.accountId]);
        await owner.query("update idempotency_keys set expires_at = now() - interval '1 second' where key = $1", [key.slice(1, -1)]);
        await owner.query('commit');
      }
    } finally {
      await owner.end();
    }
    const rerun = await post(a.as(['*'], 'p1'), '/orders', { item: 'pen' }, key);
    assert.equal(rerun.statusCode, 201);
    assert.equal(rerun.headers['idempotent-replayed'], undefined);
    assert.equal(await rows(a.accountId), 2);
    assert.equal(await kit.kernel.idempotency.sweep(), 1, "only b's expired key is left to sweep; a's was replaced");
    assert.equal(await rows(b.accountId, 'idempotency_keys'), 1, 'unexpired keys stay');
  });

  test('the jobs service sweeps expired keys on a cluster schedule', () => {
    assert.ok(kit.kernel.jobs.scheduleKeys.includes('kernel/idempotency-sweep'));
  });

  test('the OpenAPI document publishes the header, whether it is required, and the expiry', async () => {
    const doc = (await kit.inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/v1/orders/orders'].post;
    const header = op.parameters.find((p: { in: string; name: string }) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
    assert.equal(header.required, true);
    assert.match(header.description, /expire 24 hours after/);
    assert.deepEqual(op['x-idempotency'], {
      header: 'Idempotency-Key',
      required: true,
      ttlSeconds: 86_400,
      scope: ['account', 'principal'],
      fingerprint: ['method', 'path', 'body'],
      replayHeader: 'idempotent-replayed',
    });
    const optional = doc.paths['/v1/orders/orders/optional'].post;
    assert.equal(optional.parameters.find((p: { name: string }) => p.name.toLowerCase() === 'idempotency-key').required, false);
  });

  test('stored responses are tenant rows under forced RLS', async () => {
    assert.deepEqual(await tenantTableFacts(kit.database.ownerUrl, 'idempotency_keys'), { rls: true, forced: true, pkFirst: 'account_id', tenantPolicy: true });
  });

  test('idempotency on a safe method fails boot', async () => {
    const err = await routeBootError({ method: 'GET', url: '/things', config: { idempotency: 'required' } });
    assert.equal(err?.code, 'PLUGIN_IDEMPOTENCY_ON_SAFE_METHOD');
    assert.equal((await routeBootError({ method: 'POST', url: '/things', config: { idempotency: 'sometimes' as 'required' } }))?.code, 'PLUGIN_IDEMPOTENCY_INVALID');
  });
});
