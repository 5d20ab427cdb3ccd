import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { inTransaction } from '../src/db/transaction.js';
import { tenantEntryOf, tenantEntryStatement, type TenantEntryRow } from '../src/tenancy/tenancy.js';
import { notesPlugin } from './fixtures/notes/plugin.js';

describe('request transaction', () => {
  let kit: TestKernel;
  let knex: Knex;
  let accountId: string;
  before(async () => {
    kit = await startTestKernel({ plugins: [notesPlugin] });
    knex = kit.kernel.knex;
    accountId = (await kit.createTenant()).accountId;
  });
  after(() => kit.close());

  /** A transaction bound to the test tenant, as a request to the notes plugin gets it. */
  const asTenant = <T>(fn: (db: Knex.Transaction) => Promise<T>) =>
    inTransaction(knex, tenantEntryStatement(accountId, 'notes')!, async (db, entered) => {
      assert.equal(tenantEntryOf(accountId, entered.rows as TenantEntryRow[])?.pluginEnabled, true);
      return fn(db);
    });
  const titles = () => asTenant(async (db) => (await db('notes').orderBy('title').pluck('title')) as string[]);
  const poolInUse = () => (knex.client as { pool: { numUsed(): number } }).pool.numUsed();

  test('binds the tenant before the first query and commits when the function resolves', async () => {
    const bound = await asTenant(async (db) => {
      await db('notes').insert({ account_id: accountId, title: 'committed' });
      return (await db.raw<{ rows: { t: string }[] }>("select current_setting('app.current_account_id', true) as t")).rows[0]!.t;
    });
    assert.equal(bound, accountId);
    assert.ok((await titles()).includes('committed'));
  });

  test('rolls back when the function throws, and rethrows its error', async () => {
    await assert.rejects(
      asTenant(async (db) => {
        await db('notes').insert({ account_id: accountId, title: 'rolled back' });
        throw new Error('handler failed');
      }),
      /handler failed/,
    );
    assert.ok(!(await titles()).includes('rolled back'));
  });

  test('refuses queries once the transaction has ended', async () => {
    let leaked: Knex.Transaction | undefined;
    await asTenant(async (db) => void (leaked = db));
    await assert.rejects(leaked!('notes').select('id'), /Transaction query already complete/);
    await assert.rejects(Promise.resolve(leaked!.raw('select 1')), /Transaction query already complete/);
    assert.equal(leaked!.isCompleted(), true);
  });

  test('leaves commit and rollback to its owner', async () => {
    await asTenant(async (db) => {
      await assert.rejects(db.commit(), /kernel commits or rolls back/);
      await assert.rejects(db.rollback(), /kernel commits or rolls back/);
    });
  });

  test('nested transactions are savepoints, with and without a container', async () => {
    await asTenant(async (db) => {
      await db('notes').insert({ account_id: accountId, title: 'outer' });
      await assert.rejects(
        db.transaction(async (sp) => {
          await sp('notes').insert({ account_id: accountId, title: 'inner, rolled back' });
          throw new Error('inner failed');
        }),
        /inner failed/,
      );
      await db.transaction(async (sp) => void (await sp('notes').insert({ account_id: accountId, title: 'inner, released' })));
      const sp = await db.transaction();
      await sp('notes').insert({ account_id: accountId, title: 'manual, rolled back' });
      await sp.rollback();
      // Siblings started together still run one after another on the one connection.
      await Promise.all(['sibling a', 'sibling b'].map((title) => db.transaction(async (s) => void (await s('notes').insert({ account_id: accountId, title })))));
    });
    const seen = await titles();
    for (const kept of ['outer', 'inner, released', 'sibling a', 'sibling b']) assert.ok(seen.includes(kept), kept);
    for (const gone of ['inner, rolled back', 'manual, rolled back']) assert.ok(!seen.includes(gone), gone);
  });

  test('offers the knex query surface plugins use', async () => {
    await asTenant(async (db) => {
      const [row] = await db.insert({ account_id: accountId, title: 'chained', created_at: db.fn.now() }).into('notes').returning('title');
      assert.equal(row.title, 'chained');
      assert.deepEqual(await db.select('title').from('notes').where({ title: 'chained' }), [{ title: 'chained' }]);
      await db.batchInsert('notes', [{ account_id: accountId, title: 'batch 1' }, { account_id: accountId, title: 'batch 2' }], 1);
      assert.equal(db.isTransaction, true);
    });
    assert.ok((await titles()).includes('batch 2'));
  });

  test('surfaces a failing COMMIT and opening statement, and always returns the connection', async () => {
    await assert.rejects(
      asTenant(async (db) => {
        await db.raw('create temp table once (x int unique deferrable initially deferred) on commit drop');
        await db.raw('insert into once values (1), (1)');
      }),
      (err: { code?: string }) => err.code === '23505',
    );
    await assert.rejects(inTransaction(knex, 'select no_such_function()', async () => 'unreached'), /no_such_function/);
    assert.equal(poolInUse(), 0);
    assert.ok((await titles()).length > 0, 'the pool still serves transactions');
  });
});
