import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestKernel, TestPrincipal, TestTenant } from '@markettina/sdk/testing';
import { createPiece, pieceIn, PIECES, startContentKit, type Piece } from './fixtures/pieces-kit.js';

/** Every page of `query`, following nextCursor; bounded so a cursor bug cannot loop forever. */
async function walk(caller: TestPrincipal, query: string, limit: number): Promise<Piece[]> {
  const seen: Piece[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const url = `${PIECES}?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await caller.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as { items: Piece[]; nextCursor: string | null };
    assert.ok(page.items.length <= limit);
    seen.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return seen;
  }
  assert.fail('pagination did not end');
}

describe('listing content pieces', () => {
  let kit: TestKernel;
  let tenant: TestTenant;
  const made: Piece[] = [];
  const campaignA = randomUUID();
  // [type, platform, status, campaign, created_at] of the pieces the filters are checked against.
  const plan: [string, string | null, string, string | null, string][] = [
    ['blog', null, 'draft', null, '2027-01-01T00:00:00.123456Z'],
    ['social_post', 'x', 'approved', campaignA, '2027-01-01T00:00:00.123456Z'],
    ['social_post', 'mastodon', 'review', campaignA, '2027-01-01T00:00:00.123456Z'],
    ['email', null, 'rejected', null, '2027-02-01T10:00:00Z'],
    ['social_post', 'x', 'draft', null, '2027-03-01T00:00:00Z'],
  ];

  before(async () => {
    kit = await startContentKit();
    tenant = await kit.createTenant();
    const owner = tenant.as(['*']);
    for (const [type, platform, status] of plan) made.push(await pieceIn(owner, status, { type, platform }));
    // Campaign ids and creation times set directly: the campaigns plugin is not installed here,
    // and equal timestamps make the id tie-break the only thing that keeps pages apart.
    await kit.kernel.tenancy.withTenant(tenant.accountId, async (db) => {
      for (const [i, [, , , campaign, at]] of plan.entries()) await db('content_pieces').where({ id: made[i]!.id }).update({ campaign_id: campaign, created_at: at });
    });
    await createPiece((await kit.createTenant()).as(['*']));
  });
  after(() => kit?.close());

  const owner = () => tenant.as(['*']);
  const ids = (items: Piece[]) => items.map((p) => p.id).sort();
  const pick = (...indexes: number[]) => indexes.map((i) => made[i]!.id).sort();

  test('walking the pages returns every piece once, newest first', async () => {
    for (const limit of [1, 2, 50]) {
      const all = await walk(owner(), '', limit);
      assert.equal(all.length, made.length, `limit ${limit}`);
      assert.deepEqual(ids(all), pick(0, 1, 2, 3, 4));
      const keys = all.map((p) => p.createdAt);
      assert.deepEqual(keys, [...keys].sort().reverse());
    }
  });

  test('filters: type, status, platform, campaign, and combinations of them', async () => {
    assert.deepEqual(ids(await walk(owner(), 'type=social_post', 2)), pick(1, 2, 4));
    assert.deepEqual(ids(await walk(owner(), 'status=draft', 2)), pick(0, 4));
    assert.deepEqual(ids(await walk(owner(), 'platform=x', 2)), pick(1, 4));
    assert.deepEqual(ids(await walk(owner(), `campaignId=${campaignA}`, 1)), pick(1, 2));
    assert.deepEqual(ids(await walk(owner(), 'type=social_post&status=draft&platform=x', 2)), pick(4));
    assert.deepEqual(await walk(owner(), `campaignId=${randomUUID()}`, 2), []);
  });

  test('created range: from included, to excluded', async () => {
    assert.deepEqual(ids(await walk(owner(), 'createdFrom=2027-02-01T10:00:00Z', 2)), pick(3, 4));
    assert.deepEqual(ids(await walk(owner(), 'createdTo=2027-02-01T10:00:00Z', 2)), pick(0, 1, 2));
    assert.deepEqual(ids(await walk(owner(), `createdFrom=${encodeURIComponent('2027-01-15T00:00:00+01:00')}&createdTo=2027-03-01T00:00:00Z`, 2)), pick(3));
  });

  test('an inverted range is 400 INVALID_DATE_RANGE; a foreign cursor is 400 INVALID_CURSOR; a bad filter is 400', async () => {
    const range = await owner().inject({ method: 'GET', url: `${PIECES}?createdFrom=2027-03-01T00:00:00Z&createdTo=2027-01-01T00:00:00Z` });
    assert.deepEqual([range.statusCode, range.json().code], [400, 'INVALID_DATE_RANGE']);
    const cursor = await owner().inject({ method: 'GET', url: `${PIECES}?cursor=${Buffer.from('["x","y"]').toString('base64url')}` });
    assert.deepEqual([cursor.statusCode, cursor.json().code], [400, 'INVALID_CURSOR']);
    for (const query of ['status=published', 'type=poem', 'campaignId=nope', 'createdFrom=yesterday', 'platform=NOT%20ONE']) {
      assert.equal((await owner().inject({ method: 'GET', url: `${PIECES}?${query}` })).statusCode, 400, query);
    }
  });
});
