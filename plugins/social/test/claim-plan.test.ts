import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { socialPlugin } from '../src/plugin.js';
import { scriptedConnectorPlugin, socialTestConfig, startScriptedPlatform, type ScriptedPlatform } from '../src/testing/index.js';
import { publications } from './fixtures/publishing.js';

/**
 * A claim must cost the same whatever the backlog: it walks the due index in order and
 * stops after its limit. Sorting every due row instead made each claim read the whole
 * backlog (tens of milliseconds at 10,000 due rows, once per freed slot).
 */
describe('claiming due publications', () => {
  let kit: TestKernel;
  let platform: ScriptedPlatform;
  before(async () => {
    platform = await startScriptedPlatform();
    kit = await startTestKernel({
      plugins: [{ definition: socialPlugin, config: socialTestConfig() }, scriptedConnectorPlugin({ origin: platform.origin })],
      config: { jobs: { scheduler: false }, events: { dispatcher: false } },
    });
  });
  after(async () => {
    await kit?.close();
    await platform?.close();
  });

  test('reads only the rows it claims, in due order, not the whole backlog', async () => {
    const a = await publications(kit).account(platform, 'backlog');
    const backlog = 300;
    const dueAt = Date.now() - 60_000;
    await a.inTenant(async (trx) => {
      const publisher = publications(kit).publisher;
      for (let i = 0; i < backlog; i++) {
        await publisher.schedule(trx, { socialAccountId: a.socialAccountId, draft: { text: `post ${i}` }, dueAt: new Date(dueAt + i), source: { plugin: 'content', id: `p${i}` } });
      }
    });
    // Statistics that know the backlog, as autovacuum would have gathered them.
    const owner = new pg.Client({ connectionString: kit.database.ownerUrl });
    await owner.connect();
    await owner.query('analyze social_publications').finally(() => owner.end());
    // Rolled back: the counters of the claim's own transaction are all this test reads.
    const rollBack = new Error('roll back');
    let claimedIds: string[] = [];
    let read: { seq_tup_read: string; idx_tup_fetch: string } | undefined;
    await kit.kernel.knex
      .transaction(async (trx) => {
        claimedIds = (await trx.raw<{ rows: { id: string }[] }>('select * from social_claim_publications(?, ?, ?)', ['test', 5, 60_000])).rows.map((r) => r.id);
        const { rows } = await trx.raw<{ rows: { seq_tup_read: string; idx_tup_fetch: string }[] }>(
          `select seq_tup_read::text, idx_tup_fetch::text from pg_stat_xact_user_tables where relname = 'social_publications'`,
        );
        read = rows[0];
        throw rollBack;
      })
      .catch((err: unknown) => {
        if (err !== rollBack) throw err;
      });
    assert.equal(claimedIds.length, 5);
    assert.equal(Number(read!.seq_tup_read), 0, 'no sequential scan of the backlog');
    assert.ok(Number(read!.idx_tup_fetch) < 50, `fetched ${read!.idx_tup_fetch} rows through indexes to claim 5 of ${backlog}`);
    const dueAts = await Promise.all(claimedIds.map(async (id) => (await a.get(id)).dueAt));
    assert.deepEqual(dueAts, Array.from({ length: 5 }, (_, i) => new Date(dueAt + i).toISOString()), 'the earliest due first');
  });
});
