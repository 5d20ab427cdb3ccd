import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { TestPrincipal } from '@markettina/sdk/testing';
import { assertProblem, createCampaign, useTenantKit, walkPages } from './fixtures/kit.js';
import { createPost, postIn, POSTS, type Post } from './fixtures/posts.js';

const walk = (caller: TestPrincipal, query: string, limit = 2) => walkPages<Post>(caller, POSTS, query, limit);

describe('listing posts', () => {
  const t = useTenantKit({ campaigns: true });
  let campaignId: string;
  const made: Post[] = [];

  before(async () => {
    const owner = t.owner();
    campaignId = await createCampaign(owner);
    made.push(await createPost(owner, { title: 'P0', text: 'Our #CaféLatte with @Bob', campaignId }));
    made.push(await createPost(owner, { title: 'P1', text: 'Nothing tagged', variants: { mastodon: { text: 'Toot #cafélatte to @bob@mastodon.social' } } }));
    made.push(await createPost(owner, { title: 'P2', text: '#Espresso time', variants: { 'connector-x': { text: 'x' } }, campaignId }));
    made.push(await postIn(t.tenant, 'review', { title: 'P3', text: 'In review #espresso' }));
    made.push(await postIn(t.tenant, 'approved', { title: 'P4', text: 'Approved' }));
    made.push(await postIn(t.tenant, 'rejected', { title: 'P5', text: 'Rejected' }));
    // Same created_at for several posts, so the id tie-break is what keeps pages apart.
    await t.kit.kernel.tenancy.withTenant(t.tenant.accountId, (db) =>
      db('content_posts').whereIn('id', made.slice(0, 3).map((p) => p.id)).update({ created_at: db.raw("'2026-01-01T00:00:00.123456Z'") }),
    );
    for (let i = 0; i < 5; i++) made.push(await createPost(owner, { title: `Extra ${i}`, text: 'plain' }));
    await createPost((await t.kit.createTenant()).as(['*']), { title: 'Other tenant', text: '#CaféLatte' });
  });
  const titles = (items: Post[]) => items.map((p) => p.title).sort();
  const q = (query: string) => walk(t.tenant.as(['content.posts:read']), query).then(titles);

  test('walking the pages returns every post once, newest first', async () => {
    for (const limit of [1, 3, 50]) {
      const all = await walk(t.tenant.as(['*']), '', limit);
      assert.equal(all.length, made.length, `limit ${limit}`);
      assert.equal(new Set(all.map((p) => p.id)).size, made.length);
      const keys = all.map((p) => p.createdAt);
      assert.deepEqual(keys, [...keys].sort().reverse());
    }
  });

  test('approval and delivery status filters', async () => {
    assert.deepEqual(await q('approvalStatus=review'), ['P3']);
    assert.deepEqual(await q('approvalStatus=approved'), ['P4']);
    assert.deepEqual(await q('approvalStatus=rejected'), ['P5']);
    assert.equal((await q('approvalStatus=draft')).length, 8);
    assert.equal((await q('deliveryStatus=unscheduled')).length, made.length);
    assert.deepEqual(await q('deliveryStatus=published'), []);
  });

  test('hashtag and mention filters: any case, with or without the sigil, variants included', async () => {
    assert.deepEqual(await q(`hashtag=${encodeURIComponent('#CAFÉLATTE')}`), ['P0', 'P1']);
    assert.deepEqual(await q(`hashtag=${encodeURIComponent('Cafe\u0301Latte')}`), ['P0', 'P1'], 'decomposed accents match too');
    assert.deepEqual(await q('hashtag=espresso'), ['P2', 'P3']);
    assert.deepEqual(await q('mention=%40bob'), ['P0']);
    assert.deepEqual(await q(`mention=${encodeURIComponent('@Bob@Mastodon.social')}`), ['P1']);
    assert.deepEqual(await q('hashtag=nothing'), []);
  });

  test('platform and campaign filters', async () => {
    assert.deepEqual(await q('platform=mastodon'), ['P1']);
    assert.deepEqual(await q('platform=connector-x'), ['P2']);
    assert.deepEqual(await q(`campaignId=${campaignId}`), ['P0', 'P2']);
    assert.deepEqual(await q(`campaignId=${campaignId}&hashtag=espresso`), ['P2']);
  });

  test('creation range: [from, to)', async () => {
    assert.deepEqual(await q('createdFrom=2025-12-31T00:00:00Z&createdTo=2026-01-02T00:00:00Z'), ['P0', 'P1', 'P2']);
    assert.deepEqual(await q('createdTo=2026-01-01T00:00:00.123456Z'), [], 'the end is excluded');
    assert.equal((await q('createdFrom=2026-06-01T00:00:00Z')).length, made.length - 3);
  });

  test('an empty or inverted range, a bad cursor and a bad filter are 400', async () => {
    const owner = t.tenant.as(['*']);
    assertProblem(await owner.inject({ method: 'GET', url: `${POSTS}?createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z` }), 400, 'INVALID_DATE_RANGE');
    assertProblem(await owner.inject({ method: 'GET', url: `${POSTS}?scheduledFrom=2026-02-01T00:00:00Z&scheduledTo=2026-02-01T00:00:00Z` }), 400, 'INVALID_DATE_RANGE');
    assertProblem(await owner.inject({ method: 'GET', url: `${POSTS}?cursor=bm9wZQ` }), 400, 'INVALID_CURSOR');
    for (const query of ['approvalStatus=published', 'hashtag=a%20b', 'platform=Mastodon', 'createdFrom=yesterday']) {
      assert.equal((await owner.inject({ method: 'GET', url: `${POSTS}?${query}` })).statusCode, 400, query);
    }
  });
});
