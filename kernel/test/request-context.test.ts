import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServiceRef, definePlugin, type ServiceRef } from '@markettina/sdk';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import type { Knex } from 'knex';

/** A request-scoped service that remembers which request it was made for. */
interface Probe {
  principalId: string | undefined;
  accountId: string;
  db: Knex.Transaction;
}
const probeRef = createServiceRef<Probe>({ id: 'probe.request', scope: 'request' }) as ServiceRef<Probe> & { scope: 'request' };

let made = 0;
const probePlugin = definePlugin({
  manifest: { id: 'probe', version: '1.0.0', kernel: '^1.0.0', provides: [probeRef] },
  register(reg) {
    reg.provide(probeRef, (ctx) => {
      made++;
      return { principalId: ctx.principal?.id, accountId: ctx.tenant.accountId, db: ctx.db };
    });
    reg.routes(async (app) => {
      app.get('/probe', { schema: { response: { 200: { type: 'object', additionalProperties: true } } } }, async (req) => {
        const first = req.ctx.get(probeRef);
        const { rows } = await first.db.raw<{ rows: { tenant: string }[] }>("select current_setting('app.current_account_id', true) as tenant");
        return { same: first === req.ctx.get(probeRef), principalId: first.principalId, accountId: first.accountId, tenant: rows[0]!.tenant, ownTrx: first.db === req.ctx.db };
      });
      app.get('/untouched', { schema: { response: { 200: { type: 'object', additionalProperties: true } } } }, async (req) => ({ requestId: req.ctx.requestId }));
    });
  },
});

describe('request context', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startTestKernel({ plugins: [probePlugin] });
  });
  after(() => kit.close());

  test('a request-scoped service is made once per request, from that request', async () => {
    const a = (await kit.createTenant({ name: 'A' })).as();
    const b = (await kit.createTenant({ name: 'B' })).as();
    const before = made;
    const [one, two, again] = await Promise.all([a, b, a].map((who) => who.inject({ method: 'GET', url: '/v1/probe/probe' })));
    assert.equal(one!.statusCode, 200);
    const of = (who: typeof a) => ({ same: true, principalId: who.principal.id, accountId: who.principal.accountId, tenant: who.principal.accountId, ownTrx: true });
    assert.deepEqual(one!.json(), of(a));
    assert.deepEqual(two!.json(), of(b));
    assert.deepEqual(again!.json(), of(a));
    assert.equal(made - before, 3, 'one instance per request, none shared between requests');
  });

  test('a handler that never asks for a service makes none', async () => {
    const a = (await kit.createTenant({ name: 'C' })).as();
    const before = made;
    const res = await a.inject({ method: 'GET', url: '/v1/probe/untouched', headers: { 'x-request-id': 'req-three' } });
    assert.deepEqual(res.json(), { requestId: 'req-three' });
    assert.equal(made, before);
  });
});
