import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import type { TestPrincipal } from '@markettina/sdk/testing';
import { useTenantKit, walkPages } from './fixtures/kit.js';
import { createPiece, pieceIn, PIECES, type Piece } from './fixtures/pieces.js';

const walk = (caller: TestPrincipal, query: string, limit: number) => walkPages<Piece>(caller, PIECES, query, limit);

describe('listing content pieces', () => {
  const t = useTenantKit();
  const { owner } = t;
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
    for (const [type, platform, status] of plan) made.push(await pieceIn(t.tenant, status, { type, platform }));
    // Campaign ids and creation times set directly: the campaigns plugin is not installed here,
    // and equal timestamps make the id tie-break the only thing that keeps pages apart.
    await t.kit.kernel.tenancy.withTenant(t.tenant.accountId, async (db) => {
      for (const [i, [, , , campaign, at]] of plan.entries()) await db('content_pieces').where({ id: made[i]!.id }).update({ campaign_id: campaign, created_at: at });
    });
    await createPiece((await t.kit.createTenant()).as(['*']));
  });
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
