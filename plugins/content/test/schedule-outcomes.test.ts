import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { coreServices } from '@markettina/sdk';
import { waitFor } from '@markettina/sdk/testing';
import { PostFailed, PostPublished, PostUnconfirmed } from '@markettina/plugin-social/contracts';
import { createPost, POSTS, type Post } from './fixtures/posts.js';
import { scheduleUrl, useScheduleKit } from './fixtures/schedule.js';

interface Schedule {
  id: string;
  socialAccountId: string;
  publicationId: string;
  platform: string;
  status: string;
  externalId: string | null;
  url: string | null;
  publishedAt: string | null;
  failure: { code: string; reason: string } | null;
}

describe('publication outcomes come back to the post', () => {
  const s = useScheduleKit();
  const { owner } = s;
  const getPost = async (id: string) => (await owner().inject({ method: 'GET', url: `${POSTS}/${id}` })).json() as Post;
  const schedules = async (id: string) => (await owner().inject({ method: 'GET', url: scheduleUrl(id) })).json().items as Schedule[];

  /** Waits until content handled `count` outcome events of a publication (and none died). */
  async function contentHandled(publicationId: string, count: number): Promise<void> {
    await waitFor(`content handled ${count} outcomes`, async () => {
      const rows = (await s.kit.kernel.tenancy.withTenant(s.tenant.accountId, (db) =>
        db('event_deliveries').where({ plugin_id: 'content', aggregate_id: publicationId }).select('state'),
      )) as { state: string }[];
      assert.ok(rows.every((r) => r.state !== 'dead'), 'no handler failed for good');
      return rows.length === count && rows.every((r) => r.state === 'done') ? true : undefined;
    });
  }

  /** Schedules `post` now on `accounts` and publishes it; resolves once content saw every outcome. */
  async function publishNow(post: Post, accounts: string[]): Promise<Schedule[]> {
    const res = await owner().inject({ method: 'POST', url: scheduleUrl(post.id), payload: { targets: accounts.map((socialAccountId) => ({ socialAccountId })), at: new Date().toISOString() } });
    assert.equal(res.statusCode, 201, res.body);
    await s.publishDue();
    return waitFor(`outcomes of ${post.title}`, async () => {
      const rows = await schedules(post.id);
      return rows.every((r) => r.status !== 'scheduled') ? rows : undefined;
    });
  }

  test('published everywhere: the post is published, each target with its platform id and URL', async () => {
    const post = await createPost(owner(), { title: 'All good', text: 'Base text', variants: { 'scripted-b': { text: 'B text' } } });
    const rows = await publishNow(post, [s.ada, s.bea]);
    for (const row of rows) {
      const live = s.platform.posts.find((p) => p.ref === row.publicationId)!;
      assert.equal(row.status, 'published');
      assert.equal(row.externalId, live.id);
      assert.ok(row.url?.includes(live.id));
      assert.ok(row.publishedAt);
      assert.equal(live.text, row.platform === 'scripted-b' ? 'B text' : 'Base text');
    }
    assert.equal((await getPost(post.id)).deliveryStatus, 'published');
  });

  test('rejected on one platform: partially published, the platform\'s reason kept; the post can be edited again', async () => {
    s.platform.scriptAccount('bea', { kind: 'reject', reason: 'Too spicy for this platform' });
    const post = await createPost(owner(), { title: 'Half', text: 'Spicy' });
    const rows = await publishNow(post, [s.ada, s.bea]);
    assert.deepEqual(rows.map((r) => [r.socialAccountId, r.status]), [
      [s.ada, 'published'],
      [s.bea, 'failed'],
    ]);
    assert.match(rows[1]!.failure!.reason, /Too spicy/);
    assert.equal((await getPost(post.id)).deliveryStatus, 'partially_published');
    const edit = await owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, payload: { text: 'Milder' } });
    assert.equal(edit.statusCode, 200, 'nothing in flight holds the post');
  });

  test('rejected everywhere: failed', async () => {
    s.platform.scriptAccount('ada', { kind: 'reject', reason: 'No' });
    const post = await createPost(owner(), { title: 'None' });
    const rows = await publishNow(post, [s.ada]);
    assert.deepEqual(rows.map((r) => r.status), ['failed']);
    assert.equal((await getPost(post.id)).deliveryStatus, 'failed');
  });

  test('listing filters on delivery status, on scheduled platforms and on due time', async () => {
    const published = await createPost(owner(), { title: 'Filter me' });
    await publishNow(published, [s.bea]);
    const later = await createPost(owner(), { title: 'Later' });
    assert.equal((await owner().inject({ method: 'POST', url: scheduleUrl(later.id), payload: { targets: [{ socialAccountId: s.bea }], at: '2027-05-01T10:00:00Z' } })).statusCode, 201);
    const titles = async (query: string) =>
      ((await owner().inject({ method: 'GET', url: `${POSTS}?limit=200&${query}` })).json().items as Post[]).map((p) => p.title).filter((t) => ['Filter me', 'Later'].includes(t)).sort();
    assert.deepEqual(await titles('deliveryStatus=published'), ['Filter me']);
    assert.deepEqual(await titles('deliveryStatus=scheduled'), ['Later']);
    assert.deepEqual(await titles('platform=scripted-b'), ['Filter me', 'Later']);
    assert.deepEqual(await titles('scheduledFrom=2027-05-01T10:00:00Z&scheduledTo=2027-05-01T10:00:01Z'), ['Later']);
    assert.deepEqual(await titles('scheduledTo=2027-01-01T00:00:00Z'), ['Filter me']);
    await owner().inject({ method: 'DELETE', url: scheduleUrl(later.id) });
    assert.deepEqual(await titles('platform=scripted-b'), ['Filter me'], 'a cancelled target does not count');
  });

  test('an unconfirmed outcome, a repeated one and a stale one', async () => {
    const post = await createPost(owner(), { title: 'Unsure' });
    const res = await owner().inject({ method: 'POST', url: scheduleUrl(post.id), payload: { targets: [{ socialAccountId: s.ada }], at: '2027-05-01T10:00:00Z' } });
    const row = res.json().schedules[0] as Schedule;
    const events = s.kit.kernel.host.contextFor('social').get(coreServices.events);
    const base = { publicationId: row.publicationId, socialAccountId: s.ada, connector: 'scripted', source: { plugin: 'content', id: post.id, version: 1 }, campaignId: null };
    const publish = (type: string, data: Record<string, unknown>) =>
      s.kit.kernel.tenancy.withTenant(s.tenant.accountId, (db) => events.publish(db, { type, aggregateId: row.publicationId, data: { ...base, ...data } }));

    await publish(PostUnconfirmed, { reason: 'the platform did not answer' });
    const unconfirmed = await waitFor('unconfirmed', async () => (await schedules(post.id)).find((r) => r.status === 'unconfirmed'));
    assert.deepEqual(unconfirmed.failure, { code: 'UNCONFIRMED', reason: 'the platform did not answer' });
    assert.equal((await getPost(post.id)).deliveryStatus, 'failed');

    // Resolved later: published wins; a second PostPublished and a stale PostFailed change nothing.
    await publish(PostPublished, { externalId: 'ext-1', url: 'https://scripted.example/ada/ext-1', publishedAt: '2027-05-01T10:00:05.000Z' });
    await publish(PostPublished, { externalId: 'ext-2', url: null, publishedAt: '2027-05-01T11:00:00.000Z' });
    await publish(PostFailed, { code: 'LATE', reason: 'stale' });
    await contentHandled(row.publicationId, 4);
    const [final] = await schedules(post.id);
    assert.deepEqual([final!.status, final!.externalId, final!.publishedAt, final!.failure], ['published', 'ext-1', '2027-05-01T10:00:05.000Z', null]);
    assert.equal((await getPost(post.id)).deliveryStatus, 'published');
  });

  test('outcomes of another plugin\'s publications are not content\'s business', async () => {
    const events = s.kit.kernel.host.contextFor('social').get(coreServices.events);
    const post = await createPost(owner(), { title: 'Bystander' });
    await s.kit.kernel.tenancy.withTenant(s.tenant.accountId, (db) =>
      events.publish(db, {
        type: PostFailed,
        aggregateId: '00000000-0000-4000-8000-000000000001',
        data: { publicationId: '00000000-0000-4000-8000-000000000001', socialAccountId: s.ada, connector: 'scripted', source: { plugin: 'studio', id: post.id }, campaignId: null, code: 'X', reason: 'y' },
      }),
    );
    await contentHandled('00000000-0000-4000-8000-000000000001', 1);
    assert.equal((await getPost(post.id)).deliveryStatus, 'unscheduled');
  });
});
