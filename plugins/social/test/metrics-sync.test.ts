import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestKernel, type TestKernel, type TestTenant } from '@markettina/sdk/testing';
import { MetricsSynced, PostPublished, TokenExpired, type PostPublishedData } from '../src/contracts.js';
import { syncMetricsJob } from '../src/jobs/sync-metrics.js';
import { socialPlugin } from '../src/plugin.js';
import { DAY, HOUR, metricsKit, MIN, until } from './fixtures/metrics.js';
import { metricsConnectorsPlugin, startMetricsFake, type MetricsFake } from './fixtures/metrics-platform.js';

describe('metrics sync', () => {
  let kit: TestKernel;
  let fake: MetricsFake;
  let m: ReturnType<typeof metricsKit>;
  before(async () => {
    fake = await startMetricsFake();
    kit = await startTestKernel({
      plugins: [{ definition: socialPlugin, config: { network: { allowLoopback: true, allowPlainHttp: true } } }, metricsConnectorsPlugin(fake.origin)],
      config: { jobs: { scheduler: false } },
    });
    m = metricsKit(kit);
  });
  after(async () => {
    await kit?.close();
    await fake?.close();
  });

  const published = new Date('2030-03-01T09:00:00Z');
  const at = (ms: number) => new Date(published.getTime() + ms);
  let n = 0;
  /** A tenant with one `metered` account and one live post with these counters. */
  async function livePost(metrics: Record<string, number> = { impressions: 100, likes: 5, comments: 2, shares: 3, clicks: 1 }, publishedAt = published) {
    const tenant = await kit.createTenant();
    const socialAccountId = await m.connect(tenant, 'metered', 'key-a');
    const externalId = `post-${++n}`;
    fake.setPost(externalId, metrics);
    const id = await m.published(tenant, socialAccountId, externalId, publishedAt);
    return { tenant, socialAccountId, externalId, id };
  }

  test('a post that goes live is enrolled: first read half an hour later, not before', async () => {
    const { tenant, externalId, id } = await livePost();
    const sync = (await m.syncOf(tenant, id))!;
    assert.equal(sync.state, 'active');
    assert.equal(sync.next_sync_at!.toISOString(), at(30 * MIN).toISOString());
    await m.sync(at(29 * MIN));
    assert.equal(fake.reads(externalId), 0, 'not due yet');
    await m.retire(tenant);
  });

  test('a PostPublished for a publication that is gone enrols nothing and is still handled', async () => {
    const { tenant, socialAccountId } = await livePost();
    const ghost = randomUUID();
    await m.inTenant(tenant, (trx) =>
      kit.kernel.events.publish<PostPublishedData>(trx, {
        type: PostPublished,
        aggregateId: ghost,
        data: { publicationId: ghost, socialAccountId, connector: 'metered', source: { plugin: 'content', id: 'gone' }, campaignId: null, externalId: 'gone', url: null, publishedAt: published.toISOString() },
      }),
    );
    const delivery = await until('the delivery to be handled', async () => {
      const row = await m.inTenant(tenant, (trx) => trx('event_deliveries').where({ aggregate_id: ghost }).first('state'));
      return row && row.state !== 'pending' ? (row.state as string) : undefined;
    });
    assert.equal(delivery, 'done');
    assert.equal(await m.syncOf(tenant, ghost), undefined);
    await m.retire(tenant);
  });

  test('a read stores a snapshot with the engagement rate, schedules the next on the cadence and publishes MetricsSynced', async () => {
    const { tenant, socialAccountId, externalId, id } = await livePost();
    const report = await m.sync(at(31 * MIN));
    assert.ok(report.synced >= 1);
    const [snap] = await m.snapshotsOf(tenant, id);
    assert.deepEqual(
      { impressions: snap!.impressions, likes: snap!.likes, comments: snap!.comments, shares: snap!.shares, clicks: snap!.clicks, views: snap!.views, rate: snap!.engagement_rate },
      { impressions: '100', likes: '5', comments: '2', shares: '3', clicks: '1', views: null, rate: 10 },
    );
    const sync = (await m.syncOf(tenant, id))!;
    assert.equal(sync.last_synced_at!.toISOString(), at(31 * MIN).toISOString());
    assert.equal(sync.next_sync_at!.toISOString(), at(60 * MIN).toISOString(), 'on the post’s half-hour grid');

    const events = await m.eventsOf(tenant, MetricsSynced);
    assert.deepEqual(events, [
      {
        publicationId: id,
        socialAccountId,
        connector: 'metered',
        source: { plugin: 'content', id: `post-${externalId}` },
        campaignId: null,
        syncedAt: at(31 * MIN).toISOString(),
        metrics: { impressions: 100, likes: 5, comments: 2, shares: 3, clicks: 1 },
        engagementRate: 10,
      },
    ]);

    // Not due again until the next grid point: no platform call.
    await m.sync(at(59 * MIN));
    assert.equal(fake.reads(externalId), 1);
    await m.retire(tenant);
  });

  test('counters the platform lowered are stored as reported, and the latest totals follow them', async () => {
    const { tenant, externalId, id } = await livePost({ impressions: 200, likes: 40 });
    await m.sync(at(30 * MIN));
    fake.setPost(externalId, { impressions: 210, likes: 31 });
    await m.sync(at(60 * MIN));
    assert.deepEqual(
      (await m.snapshotsOf(tenant, id)).map((s) => [s.impressions, s.likes, s.engagement_rate]),
      [
        ['200', '40', 20],
        ['210', '31', (31 * 100) / 210],
      ],
    );
    const events = await m.eventsOf(tenant, MetricsSynced);
    assert.deepEqual(events.at(-1)!.metrics, { impressions: 210, likes: 31 });
    await m.retire(tenant);
  });

  test('older posts are read less often, and not at all after day 90', async () => {
    const { tenant, externalId, id } = await livePost(undefined, new Date(published.getTime() - 89 * DAY - 12 * HOUR));
    const old = new Date(published.getTime() - 89 * DAY - 12 * HOUR);
    await m.sync(published);
    let sync = (await m.syncOf(tenant, id))!;
    assert.equal(sync.next_sync_at!.toISOString(), new Date(old.getTime() + 90 * DAY).toISOString(), 'daily: the last read is on day 90');
    await m.sync(new Date(old.getTime() + 90 * DAY));
    sync = (await m.syncOf(tenant, id))!;
    assert.equal(sync.state, 'finished');
    assert.equal(sync.next_sync_at, null);
    assert.equal((await m.snapshotsOf(tenant, id)).length, 2);
    await m.sync(new Date(old.getTime() + 200 * DAY));
    assert.equal(fake.reads(externalId), 2, 'finished posts are never read again');
    await m.retire(tenant);
  });

  test('a post deleted on the platform stops being synced, without an event', async () => {
    const { tenant, externalId, id } = await livePost();
    fake.deletePost(externalId);
    const report = await m.sync(at(30 * MIN));
    assert.equal(report.deleted, 1);
    const sync = (await m.syncOf(tenant, id))!;
    assert.equal(sync.state, 'deleted');
    assert.equal(sync.next_sync_at, null);
    assert.deepEqual(await m.snapshotsOf(tenant, id), []);
    assert.deepEqual(await m.eventsOf(tenant, MetricsSynced), []);
    await m.sync(at(10 * DAY));
    assert.equal(fake.reads(externalId), 1);
    await m.retire(tenant);
  });

  test('no metrics for a post that still exists is a failed read, tried again on the cadence', async () => {
    const { tenant, externalId, id } = await livePost();
    fake.setUncounted(externalId);
    const report = await m.sync(at(30 * MIN));
    assert.equal(report.failed, 1);
    let sync = (await m.syncOf(tenant, id))!;
    assert.deepEqual([sync.state, sync.failures, sync.next_sync_at!.toISOString()], ['active', 1, at(60 * MIN).toISOString()]);
    assert.match(sync.last_error!, /no metrics/);
    fake.setPost(externalId, { impressions: 10, likes: 1 });
    await m.sync(at(60 * MIN));
    sync = (await m.syncOf(tenant, id))!;
    assert.deepEqual([sync.failures, sync.last_error], [0, null]);
    assert.equal((await m.snapshotsOf(tenant, id)).length, 1);
    await m.retire(tenant);
  });

  test('a platform outage is a failed read; the post stays on its cadence', async () => {
    const { tenant, id } = await livePost();
    fake.failNext({ kind: 'server-error' });
    await m.sync(at(2 * HOUR + 5 * MIN));
    const sync = (await m.syncOf(tenant, id))!;
    assert.deepEqual([sync.state, sync.failures, sync.next_sync_at!.toISOString()], ['active', 1, at(2.5 * HOUR).toISOString()]);
    await m.retire(tenant);
  });

  test('a rate-limited account is held until retry-after, none of its posts failed; other accounts carry on', async () => {
    const tenant = await kit.createTenant();
    const limited = await m.connect(tenant, 'metered', 'key-a');
    const other = await m.connect(tenant, 'metered', 'key-b');
    const ids: string[] = [];
    for (const ext of ['rl-1', 'rl-2', 'rl-3']) {
      fake.setPost(ext, { impressions: 10, likes: 1 });
      ids.push(await m.published(tenant, limited, ext, published));
    }
    fake.setPost('rl-other', { impressions: 10, likes: 2 });
    const otherId = await m.published(tenant, other, 'rl-other', published);

    fake.throttle('key-a', 120);
    try {
      const report = await m.sync(at(30 * MIN));
      assert.deepEqual([report.failed, report.held], [0, 3]);
      for (const id of ids) {
        const sync = (await m.syncOf(tenant, id))!;
        assert.deepEqual([sync.state, sync.failures, sync.last_synced_at, sync.next_sync_at!.toISOString()], ['active', 0, null, at(32 * MIN).toISOString()], 'held until retry-after, not failed');
      }
      assert.equal((await m.snapshotsOf(tenant, otherId)).length, 1, 'the other account was read in the same run');
      const requests = fake.requests.length;
      await m.sync(at(31 * MIN));
      assert.equal(fake.requests.length, requests, 'nothing is asked before retry-after');
    } finally {
      fake.throttle('key-a', undefined);
    }
    await m.sync(at(32 * MIN));
    for (const id of ids) assert.equal((await m.snapshotsOf(tenant, id)).length, 1);
    await m.retire(tenant);
  });

  test('the kernel’s outbound budget for the account is respected: reads over it wait, not fail', async () => {
    const tenant = await kit.createTenant();
    const account = await m.connect(tenant, 'budgeted', 'key-c');
    const ids: string[] = [];
    for (const ext of ['b-1', 'b-2', 'b-3']) {
      fake.setPost(ext, { impressions: 10, likes: 1 });
      ids.push(await m.published(tenant, account, ext, published));
    }
    const report = await m.sync(at(30 * MIN));
    assert.equal(report.failed, 0);
    assert.equal(['b-1', 'b-2', 'b-3'].reduce((sum, ext) => sum + fake.reads(ext), 0), 2, 'two reads an hour are declared; the third never left');
    const rows = await Promise.all(ids.map((id) => m.syncOf(tenant, id)));
    const waiting = rows.filter((r) => r!.last_synced_at === null);
    assert.equal(waiting.length, 1);
    assert.ok(waiting[0]!.next_sync_at!.getTime() > at(30 * MIN).getTime() + 10 * MIN, 'held until the budget has room again');
    assert.equal(waiting[0]!.failures, 0);
    await m.retire(tenant);
  });

  test('refused credentials mark the account for reconnecting; its posts are not failed and wait for it', async () => {
    const tenant = await kit.createTenant();
    fake.keys.add('key-revoked');
    const account = await m.connect(tenant, 'metered', 'key-revoked');
    fake.setPost('rv-1', { impressions: 10, likes: 1 });
    const id = await m.published(tenant, account, 'rv-1', published);
    fake.keys.delete('key-revoked');
    const report = await m.sync(at(30 * MIN));
    assert.equal(report.failed, 0);
    const row = await m.inTenant(tenant, (trx) => trx('social_accounts').where({ id: account }).first('status'));
    assert.equal(row.status, 'reconnect_required');
    assert.equal((await m.eventsOf(tenant, TokenExpired)).length, 1);
    const sync = (await m.syncOf(tenant, id))!;
    assert.deepEqual([sync.state, sync.failures], ['active', 0]);
    await m.sync(at(2 * DAY));
    assert.equal(fake.reads('rv-1'), 0, 'an account that must reconnect is not called');
    await m.retire(tenant);
  });

  test('a platform without post metrics is never asked', async () => {
    const tenant = await kit.createTenant();
    const account = await m.connect(tenant, 'mute', 'key-a');
    fake.setPost('mute-1', { likes: 1 });
    const id = await m.published(tenant, account, 'mute-1', published);
    assert.deepEqual([(await m.syncOf(tenant, id))!.state, (await m.syncOf(tenant, id))!.next_sync_at], ['unsupported', null]);
    const before = fake.requests.length;
    await m.sync(at(DAY));
    assert.equal(fake.requests.length, before);
    await m.retire(tenant);
  });

  test('a bounded run takes tenants, then accounts, in turns', async () => {
    const big = await kit.createTenant();
    const small = await kit.createTenant();
    const bigA = await m.connect(big, 'metered', 'key-a');
    const bigB = await m.connect(big, 'metered', 'key-b');
    const smallA = await m.connect(small, 'metered', 'key-a');
    const posts: Record<string, string> = {};
    for (const [tenant, account, ext] of [
      [big, bigA, 'f-a1'],
      [big, bigA, 'f-a2'],
      [big, bigA, 'f-a3'],
      [big, bigB, 'f-b1'],
      [small, smallA, 'f-s1'],
    ] as [TestTenant, string, string][]) {
      fake.setPost(ext, { impressions: 1, likes: 1 });
      posts[ext] = await m.published(tenant, account, ext, published);
    }
    const readOf = (...exts: string[]) => exts.filter((ext) => fake.reads(ext) > 0).length;
    await m.sync(at(30 * MIN), { batchSize: 3 });
    assert.deepEqual([readOf('f-a1', 'f-a2', 'f-a3'), readOf('f-b1'), readOf('f-s1')], [1, 1, 1], 'one of each account of each tenant before anyone’s second');
    await m.sync(at(30 * MIN), { batchSize: 100, perAccount: 1 });
    assert.deepEqual([readOf('f-a1', 'f-a2', 'f-a3'), readOf('f-b1'), readOf('f-s1')], [2, 1, 1], 'at most one per account per run');
    await m.retire(big);
    await m.retire(small);
  });

  test('the scheduled job reads what is due with the deployment settings', async () => {
    const now = Date.now();
    const { tenant, externalId, id } = await livePost({ impressions: 50, likes: 5 }, new Date(now - 45 * MIN));
    assert.equal(syncMetricsJob.scope, 'cluster');
    if (syncMetricsJob.perTenant) assert.fail('the metrics sync visits tenants itself');
    await syncMetricsJob.handler({ ...kit.kernel.host.contextFor('social'), run: { jobId: syncMetricsJob.id, slot: new Date() } });
    assert.equal(fake.reads(externalId), 1);
    const sync = (await m.syncOf(tenant, id))!;
    assert.equal(sync.next_sync_at!.getTime(), now + 15 * MIN, 'the next half-hour point of the post');
    await m.retire(tenant);
  });

  describe('GET /publications/:id/metrics', () => {
    let tenant: TestTenant;
    let id: string;
    before(async () => {
      const post = await livePost({ impressions: 100, likes: 1 });
      ({ tenant, id } = post);
      for (const [i, likes] of [1, 2, 3].entries()) {
        fake.setPost(post.externalId, { impressions: 100, likes });
        await m.sync(at((i + 1) * 30 * MIN));
      }
    });
    after(() => m.retire(tenant));

    test('the latest snapshot, the sync state and the history newest first, page by page', async () => {
      const caller = tenant.as(['social.posts:read']);
      const first = await caller.inject({ method: 'GET', url: `/v1/social/publications/${id}/metrics?limit=2` });
      assert.equal(first.statusCode, 200, first.body);
      const body = first.json();
      assert.equal(body.status, 'published');
      assert.deepEqual(body.latest.metrics, { impressions: 100, likes: 3 });
      assert.equal(body.latest.engagementRate, 3);
      assert.deepEqual(body.sync, { state: 'active', lastSyncedAt: at(90 * MIN).toISOString(), nextSyncAt: at(120 * MIN).toISOString(), failures: 0, lastError: null });
      assert.deepEqual(body.items.map((s: { metrics: { likes: number } }) => s.metrics.likes), [3, 2]);
      const second = (await caller.inject({ method: 'GET', url: `/v1/social/publications/${id}/metrics?limit=2&cursor=${body.nextCursor}` })).json();
      assert.deepEqual(second.items.map((s: { metrics: { likes: number } }) => s.metrics.likes), [1]);
      assert.equal(second.nextCursor, null);
    });

    test('unknown, foreign and malformed ids and cursors are 4xx problems', async () => {
      const other = (await kit.createTenant()).as();
      const foreign = await other.inject({ method: 'GET', url: `/v1/social/publications/${id}/metrics` });
      assert.equal(foreign.statusCode, 404);
      assert.equal((await tenant.as().inject({ method: 'GET', url: `/v1/social/publications/not-a-uuid/metrics` })).statusCode, 400);
      const cursor = await tenant.as().inject({ method: 'GET', url: `/v1/social/publications/${id}/metrics?cursor=garbage` });
      assert.equal(cursor.statusCode, 400);
      assert.equal(cursor.json().code, 'INVALID_CURSOR');
      assert.equal((await tenant.as(['social.accounts:read']).inject({ method: 'GET', url: `/v1/social/publications/${id}/metrics` })).statusCode, 403);
    });
  });
});
