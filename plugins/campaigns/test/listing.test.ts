import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestKernel, TestPrincipal, TestTenant } from '@markettina/sdk/testing';
import { BASE, campaignIn, createCampaign, startCampaignsKit, type Campaign } from './fixtures/kit.js';

/** Every page of `query`, following nextCursor; bounded so a cursor bug cannot loop forever. */
async function walk(caller: TestPrincipal, query: string, limit: number): Promise<Campaign[]> {
  const seen: Campaign[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const url = `${BASE}?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await caller.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as { items: Campaign[]; nextCursor: string | null };
    assert.ok(page.items.length <= limit);
    seen.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return seen;
  }
  assert.fail('pagination did not end');
}

describe('listing campaigns', () => {
  let kit: TestKernel;
  let tenant: TestTenant;
  const made: Campaign[] = [];
  // [start, end, status] of the campaigns the filters are checked against.
  const plan: [string, string, string][] = [
    ['2027-01-01', '2027-01-31', 'planning'],
    ['2027-01-20', '2027-02-10', 'active'],
    ['2027-02-01', '2027-02-28', 'paused'],
    ['2027-02-28', '2027-02-28', 'completed'],
    ['2027-03-01', '2027-06-30', 'active'],
    ['2026-12-01', '2027-12-31', 'planning'],
  ];

  before(async () => {
    kit = await startCampaignsKit();
    tenant = await kit.createTenant();
    const owner = tenant.as(['*']);
    for (const [i, [startDate, endDate, status]] of plan.entries()) made.push(await campaignIn(owner, status, { name: `C${i}`, startDate, endDate }));
    // Same created_at for several rows, so the id tie-break is what keeps pages apart.
    await kit.kernel.tenancy.withTenant(tenant.accountId, (db) => db('campaigns').whereIn('id', made.slice(0, 3).map((c) => c.id)).update({ created_at: db.raw("'2027-01-01T00:00:00.123456Z'") }));
    for (let i = 0; i < 9; i++) made.push(await createCampaign(owner, { name: `Extra ${i}`, startDate: '2028-01-01', endDate: '2028-01-02' }));
    await createCampaign((await kit.createTenant()).as(['*']), { name: 'Other tenant' });
  });
  after(() => kit?.close());

  const names = (items: Campaign[]) => items.map((c) => c.name).sort();

  test('walking the pages returns every campaign once, newest first', async () => {
    for (const limit of [1, 2, 4, 50]) {
      const all = await walk(tenant.as(['*']), '', limit);
      assert.equal(all.length, made.length, `limit ${limit}`);
      assert.equal(new Set(all.map((c) => c.id)).size, made.length, `limit ${limit}: no repeats`);
      const keys = all.map((c) => c.createdAt);
      assert.deepEqual(keys, [...keys].sort().reverse());
    }
  });

  test('status filter', async () => {
    assert.deepEqual(names(await walk(tenant.as(['*']), 'status=active', 1)), ['C1', 'C4']);
    assert.deepEqual(names(await walk(tenant.as(['*']), 'status=completed', 2)), ['C3']);
  });

  test('date range filter: campaigns running on any day of [from, to]', async () => {
    const q = (query: string) => walk(tenant.as(['*']), query, 2).then(names);
    assert.deepEqual(await q('from=2027-02-11&to=2027-02-27'), ['C2', 'C5']);
    // Touching a range on its last or first day counts.
    assert.deepEqual(await q('from=2027-01-31&to=2027-01-31'), ['C0', 'C1', 'C5']);
    assert.deepEqual(await q('from=2027-02-28&to=2027-03-01'), ['C2', 'C3', 'C4', 'C5']);
    // Open ends.
    assert.deepEqual(await q('from=2027-07-01'), ['C5', ...Array.from({ length: 9 }, (_, i) => `Extra ${i}`)]);
    assert.deepEqual(await q('to=2026-12-31'), ['C5']);
    assert.deepEqual(await q('status=planning&from=2027-01-15&to=2027-01-15'), ['C0', 'C5']);
  });

  test('a range that ends before it starts is 400; a cursor not issued here is 400', async () => {
    const range = await tenant.as(['*']).inject({ method: 'GET', url: `${BASE}?from=2027-02-01&to=2027-01-01` });
    assert.equal(range.statusCode, 400);
    assert.equal(range.json().code, 'INVALID_DATE_RANGE');
    for (const cursor of ['garbage', Buffer.from(JSON.stringify(['2027-02-30 00:00:00+00', made[0]!.id])).toString('base64url')]) {
      const res = await tenant.as(['*']).inject({ method: 'GET', url: `${BASE}?cursor=${cursor}` });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().code, 'INVALID_CURSOR');
    }
  });
});
