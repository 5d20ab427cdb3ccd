import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestKernel, TestPrincipal, TestTenant } from '@markettina/sdk/testing';
import { assertProblem } from './fixtures/media-kit.js';
import { createPost, POSTS, review, startPostsKit, type Post } from './fixtures/posts.js';

/** Every page of `query`, following nextCursor; bounded so a cursor bug cannot loop forever. */
async function walk(caller: TestPrincipal, query: string, limit = 2): Promise<Post[]> {
  const seen: Post[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const url = `${POSTS}?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await caller.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as { items: Post[]; nextCursor: string | null };
    assert.ok(page.items.length <= limit);
    seen.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return seen;
  }
  assert.fail('pagination did not end');
}

describe('listing posts', () => {
  let kit: TestKernel;
  let tenant: TestTenant;
  let campaignId: string;
  const made: Post[] = [];

  before(async () => {
    kit = await startPostsKit();
    tenant = await kit.createTenant();
    const owner = tenant.as(['*']);
    const campaign = await owner.inject({ method: 'POST', url: '/v1/campaigns/campaigns', payload: { name: 'Spring', startDate: '2027-03-01', endDate: '2027-03-31', budgetTokens: 10 } });
    campaignId = campaign.json().id;
    made.push(await createPost(owner, { title: 'P0', text: 'Our #CaféLatte with @Bob', campaignId }));
    made.push(await createPost(owner, { title: 'P1', text: 'Nothing tagged', variants: { mastodon: { text: 'Toot #cafélatte to @bob@mastodon.social' } } }));
    made.push(await createPost(owner, { title: 'P2', text: '#Espresso time', variants: { 'connector-x': { text: 'x' } }, campaignId }));
    made.push(await createPost(owner, { title: 'P3', text: 'In review #espresso' }));
    made.push(await createPost(owner, { title: 'P4', text: 'Approved' }));
    made.push(await createPost(owner, { title: 'P5', text: 'Rejected' }));
    await review(owner, made[3]!.id, 'submit');
    for (const action of ['submit', 'approve'] as const) await review(owner, made[4]!.id, action);
    for (const action of ['submit', 'reject'] as const) await review(owner, made[5]!.id, action);
    // Same created_at for several posts, so the id tie-break is what keeps pages apart.
    await kit.kernel.tenancy.withTenant(tenant.accountId, (db) =>
      db('content_posts').whereIn('id', made.slice(0, 3).map((p) => p.id)).update({ created_at: db.raw("'2026-01-01T00:00:00.123456Z'") }),
    );
    for (let i = 0; i < 5; i++) made.push(await createPost(owner, { title: `Extra ${i}`, text: 'plain' }));
    await createPost((await kit.createTenant()).as(['*']), { title: 'Other tenant', text: '#CaféLatte' });
  });
  after(() => kit?.close());

  const titles = (items: Post[]) => items.map((p) => p.title).sort();
  const q = (query: string) => walk(tenant.as(['content.posts:read']), query).then(titles);

  test('walking the pages returns every post once, newest first', async () => {
    for (const limit of [1, 3, 50]) {
      const all = await walk(tenant.as(['*']), '', limit);
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
    const owner = tenant.as(['*']);
    assertProblem(await owner.inject({ method: 'GET', url: `${POSTS}?createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z` }), 400, 'INVALID_DATE_RANGE');
    assertProblem(await owner.inject({ method: 'GET', url: `${POSTS}?scheduledFrom=2026-02-01T00:00:00Z&scheduledTo=2026-02-01T00:00:00Z` }), 400, 'INVALID_DATE_RANGE');
    assertProblem(await owner.inject({ method: 'GET', url: `${POSTS}?cursor=bm9wZQ` }), 400, 'INVALID_CURSOR');
    for (const query of ['approvalStatus=published', 'hashtag=a%20b', 'platform=Mastodon', 'createdFrom=yesterday']) {
      assert.equal((await owner.inject({ method: 'GET', url: `${POSTS}?${query}` })).statusCode, 400, query);
    }
  });
});
