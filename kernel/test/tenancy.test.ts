import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { notesPlugin } from './fixtures/notes/plugin.js';

describe('tenancy', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startTestKernel({ plugins: [notesPlugin] });
  });
  after(() => kit.close());

  test('tenant A cannot list, read or modify tenant B notes through routes', async () => {
    const a = (await kit.createTenant({ name: 'A' })).as();
    const b = (await kit.createTenant({ name: 'B' })).as();
    const created = await b.inject({ method: 'POST', url: '/v1/notes/notes', payload: { title: 'secret of B' } });
    assert.equal(created.statusCode, 201);
    const noteId = created.json().id as string;

    const listA = await a.inject({ method: 'GET', url: '/v1/notes/notes' });
    assert.equal(listA.statusCode, 200);
    assert.deepEqual(listA.json().items, []);
    assert.equal((await a.inject({ method: 'GET', url: `/v1/notes/notes/${noteId}` })).statusCode, 404);
    const patch = await a.inject({ method: 'PATCH', url: `/v1/notes/notes/${noteId}`, payload: { title: 'pwned' } });
    assert.equal(patch.statusCode, 404);

    const readB = await b.inject({ method: 'GET', url: `/v1/notes/notes/${noteId}` });
    assert.equal(readB.json().title, 'secret of B');
  });

  test('at SQL level the app role sees no rows without a tenant and only its own with one', async () => {
    const a = await kit.createTenant({ name: 'A2' });
    const b = await kit.createTenant({ name: 'B2' });
    await b.as().inject({ method: 'POST', url: '/v1/notes/notes', payload: { title: 'b-only' } });
    const client = new pg.Client({ connectionString: kit.database.appUrl });
    await client.connect();
    try {
      assert.equal((await client.query('select count(*)::int as n from notes')).rows[0].n, 0, 'no tenant set means no rows');
      await client.query('begin');
      await client.query("select set_config('app.current_account_id', $1, true)", [a.accountId]);
      assert.equal((await client.query("select count(*)::int as n from notes where title = 'b-only'")).rows[0].n, 0);
      await assert.rejects(
        client.query("insert into notes (account_id, title) values ($1, 'forged')", [b.accountId]),
        /row-level security/,
      );
      await client.query('rollback');
      await client.query('begin');
      await client.query("select set_config('app.current_account_id', $1, true)", [a.accountId]);
      const upd = await client.query("update notes set title = 'x' where title = 'b-only'");
      assert.equal(upd.rowCount, 0);
      await client.query('rollback');
      const role = await client.query('select rolsuper, rolbypassrls from pg_roles where rolname = current_user');
      assert.deepEqual(role.rows[0], { rolsuper: false, rolbypassrls: false });
      await assert.rejects(client.query('alter table notes disable row level security'), /must be owner/);
    } finally {
      await client.end();
    }
  });

  test('a plugin the tenant has not enabled answers 404, and enabling takes effect at once', async () => {
    const t = await kit.createTenant({ enable: [] });
    const caller = t.as();
    const res = await caller.inject({ method: 'GET', url: '/v1/notes/notes' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'PLUGIN_NOT_ENABLED');
    assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);

    await kit.kernel.accounts.setPluginState(t.accountId, 'notes', { enabled: true });
    assert.equal((await caller.inject({ method: 'GET', url: '/v1/notes/notes' })).statusCode, 200);
    await kit.kernel.accounts.setPluginState(t.accountId, 'notes', { enabled: false });
    assert.equal((await caller.inject({ method: 'GET', url: '/v1/notes/notes' })).statusCode, 404);
  });

  test('disabling a plugin on one node takes effect on another node at once', async () => {
    const t = await kit.createTenant();
    const caller = t.as();
    const nodeB = await kit.startNode();
    try {
      const onB = () => nodeB.app.inject({ method: 'GET', url: '/v1/notes/notes', headers: { authorization: `Bearer ${caller.token}` } });
      assert.equal((await onB()).statusCode, 200);
      await kit.kernel.accounts.setPluginState(t.accountId, 'notes', { enabled: false });
      assert.equal((await onB()).statusCode, 404, 'node B sees the change made through node A without delay');
    } finally {
      await nodeB.close();
    }
  });

  test('permissions are enforced from route config', async () => {
    const t = await kit.createTenant();
    const reader = t.as(['notes.notes:read']);
    const denied = await reader.inject({ method: 'POST', url: '/v1/notes/notes', payload: { title: 'x' } });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().code, 'PERMISSION_DENIED');
    assert.equal((await reader.inject({ method: 'GET', url: '/v1/notes/notes' })).statusCode, 200);
    const anonymous = await kit.inject({ method: 'GET', url: '/v1/notes/notes' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'UNAUTHENTICATED');
    const forged = await kit.inject({ method: 'GET', url: '/v1/notes/notes', headers: { authorization: 'Bearer test_e30.AAAA' } });
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.json().code, 'INVALID_CREDENTIALS');
  });

  test('a handler that answers with reply.send() is answered only after its transaction commits', async () => {
    const t = await kit.createTenant();
    const caller = t.as();
    const res = await caller.inject({ method: 'POST', url: '/v1/notes/notes/sent-early', payload: { title: 'visible on arrival' } });
    assert.equal(res.statusCode, 201);
    const id = res.json().id as string;
    const seen = await kit.kernel.tenancy.withTenant(t.accountId, (trx) => trx('notes').where({ id }).first());
    assert.ok(seen, 'the row the response announced is committed when the response arrives');

    const first = await caller.inject({ method: 'POST', url: '/v1/notes/notes/sent-early', payload: { title: 'once' }, headers: { 'idempotency-key': 'k-sent-early' } });
    const again = await caller.inject({ method: 'POST', url: '/v1/notes/notes/sent-early', payload: { title: 'once' }, headers: { 'idempotency-key': 'k-sent-early' } });
    assert.equal(again.statusCode, 201);
    assert.deepEqual(again.json(), first.json(), 'a sent answer is recorded for replay like a returned one');
    const copies = await kit.kernel.tenancy.withTenant(t.accountId, (trx) => trx('notes').where({ title: 'once' }).count<{ count: string }[]>('* as count'));
    assert.equal(Number(copies[0]!.count), 1);
  });

  test('cursor pagination walks every note once', async () => {
    const caller = (await kit.createTenant()).as();
    for (let i = 0; i < 7; i++) await caller.inject({ method: 'POST', url: '/v1/notes/notes', payload: { title: `n${i}` } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/notes/notes?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await caller.inject({ method: 'GET', url })).json();
      seen.push(...page.items.map((n: { title: string }) => n.title));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen.sort(), ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
  });
});
