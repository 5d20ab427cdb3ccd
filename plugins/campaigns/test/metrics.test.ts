import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { PostMetrics } from '@markettina/sdk';
import { startTestKernel, type TestKernel, type TestTenant } from '@markettina/sdk/testing';
import { socialPlugin } from '@markettina/plugin-social';
import { MetricsSynced, PostPublished, type MetricsSyncedData, type PostPublishedData } from '@markettina/plugin-social/contracts';
import { EVENTS } from '../src/contracts.js';
import { campaignsPlugin } from '../src/plugin.js';
import { BASE, createCampaign, eventsOf, internals } from './fixtures/kit.js';

/**
 * The roll-up as the social plugin drives it: events published through the real bus, in
 * tenant transactions, and handled by the campaigns plugin's subscribers.
 */
describe('campaign metrics roll-up', () => {
  let kit: TestKernel;
  before(async () => {
    // The social plugin declares the events; tenants enable only campaigns, so nothing else handles them.
    kit = await startTestKernel({ plugins: [campaignsPlugin, socialPlugin], config: { events: { pollIntervalMs: 50 } } });
  });
  after(() => kit?.close());

  const socialAccountId = randomUUID();
  const base = (campaignId: string | null, publicationId: string) => ({ publicationId, socialAccountId, connector: 'fake', source: { plugin: 'content', id: `post-${publicationId}` }, campaignId });

  const publishEvent = (tenant: TestTenant, type: string, publicationId: string, data: Record<string, unknown>) =>
    kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => kit.kernel.events.publish(trx, { type, aggregateId: publicationId, subject: `publications/${publicationId}`, data }));

  const published = (tenant: TestTenant, campaignId: string | null, publicationId: string, publishedAt = '2027-03-02T10:00:00.000Z') =>
    publishEvent(tenant, PostPublished, publicationId, { ...base(campaignId, publicationId), externalId: `ext-${publicationId}`, url: null, publishedAt } satisfies PostPublishedData);

  const synced = (tenant: TestTenant, campaignId: string | null, publicationId: string, syncedAt: string, metrics: PostMetrics, engagementRate: number | null = null) =>
    publishEvent(tenant, MetricsSynced, publicationId, { ...base(campaignId, publicationId), syncedAt, metrics, engagementRate } satisfies MetricsSyncedData);

  /** Waits until every delivery of the tenant is handled; fails on a dead one. */
  async function settled(tenant: TestTenant): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const rows = (await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('event_deliveries').select('state', 'last_error'))) as { state: string; last_error: string | null }[];
      const dead = rows.find((r) => r.state === 'dead');
      if (dead) assert.fail(`a delivery is dead: ${dead.last_error}`);
      if (rows.every((r) => r.state === 'done')) return;
      if (Date.now() > deadline) assert.fail('deliveries did not settle within 10 s');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function rollUp(tenant: TestTenant, campaignId: string) {
    const res = await tenant.as(['campaigns.campaigns:read']).inject({ method: 'GET', url: `${BASE}/${campaignId}/metrics` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  }

  const newTenant = () => kit.createTenant({ enable: ['campaigns'] });
  const [p1, p2, p3] = [randomUUID(), randomUUID(), randomUUID()];

  test('several posts: totals per metric, posts, engagement as a ratio of sums and as a mean of rates', async () => {
    const tenant = await newTenant();
    const c = await createCampaign(tenant.as(), { goals: [] });
    await published(tenant, c.id, p1);
    await published(tenant, c.id, p2);
    await published(tenant, c.id, p3);
    await synced(tenant, c.id, p1, '2027-03-02T10:30:00.000Z', { impressions: 1000, likes: 8, comments: 1, shares: 1, clicks: 12 });
    await synced(tenant, c.id, p2, '2027-03-02T10:31:00.000Z', { impressions: 100, likes: 10, clicks: 3 });
    // A video platform: views, no impressions.
    await synced(tenant, c.id, p3, '2027-03-02T10:32:00.000Z', { views: 400, likes: 20 });
    await settled(tenant);
    assert.deepEqual(await rollUp(tenant, c.id), {
      campaignId: c.id,
      posts: 3,
      measuredPosts: 3,
      totals: { views: 400, impressions: 1100, likes: 38, comments: 1, shares: 1, clicks: 15 },
      engagements: 40,
      // (10 + 10 + 20) / (1000 + 100 + 400) and mean(1 %, 10 %, 5 %)
      engagementRate: (40 * 100) / 1500,
      meanEngagementRate: 16 / 3,
      lastSyncedAt: '2027-03-02T10:32:00.000Z',
      goals: [],
    });
  });

  test('duplicate deliveries change nothing', async () => {
    const tenant = await newTenant();
    const c = await createCampaign(tenant.as(), { goals: [] });
    for (let i = 0; i < 2; i++) {
      await published(tenant, c.id, p1);
      await synced(tenant, c.id, p1, '2027-03-02T11:00:00.000Z', { impressions: 50, likes: 5 });
    }
    await settled(tenant);
    const r = await rollUp(tenant, c.id);
    assert.deepEqual([r.posts, r.totals, r.engagements], [1, { impressions: 50, likes: 5 }, 5]);
  });

  test('out of order: an older read never replaces a newer one; metrics before PostPublished still count the post once', async () => {
    const tenant = await newTenant();
    const c = await createCampaign(tenant.as(), { goals: [] });
    await synced(tenant, c.id, p1, '2027-03-02T12:00:00.000Z', { impressions: 300, likes: 30 });
    await synced(tenant, c.id, p1, '2027-03-02T11:30:00.000Z', { impressions: 100, likes: 10 });
    await settled(tenant);
    let r = await rollUp(tenant, c.id);
    assert.deepEqual([r.posts, r.totals, r.lastSyncedAt], [1, { impressions: 300, likes: 30 }, '2027-03-02T12:00:00.000Z']);

    await published(tenant, c.id, p1);
    await settled(tenant);
    r = await rollUp(tenant, c.id);
    assert.deepEqual([r.posts, r.totals], [1, { impressions: 300, likes: 30 }]);
    const row = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('campaign_publication_metrics').where({ publication_id: p1 }).first('published_at'));
    assert.equal(row.published_at.toISOString(), '2027-03-02T10:00:00.000Z');
  });

  test('a newer read that the platform corrected downwards lowers the totals', async () => {
    const tenant = await newTenant();
    const c = await createCampaign(tenant.as(), { goals: [] });
    await synced(tenant, c.id, p1, '2027-03-02T10:30:00.000Z', { impressions: 500, likes: 50 });
    await synced(tenant, c.id, p1, '2027-03-02T11:00:00.000Z', { impressions: 520, likes: 41 });
    await settled(tenant);
    assert.deepEqual((await rollUp(tenant, c.id)).totals, { impressions: 520, likes: 41 });
  });

  test('goal progress per KPI, and CampaignGoalReached once per goal and target', async () => {
    const tenant = await newTenant();
    const goals = [
      { kpi: 'impressions', target: 1000 },
      { kpi: 'posts', target: 2 },
      { kpi: 'engagements', target: 100 },
      { kpi: 'leads', target: 5 },
    ];
    const c = await createCampaign(tenant.as(), { goals });
    await published(tenant, c.id, p1);
    await synced(tenant, c.id, p1, '2027-03-02T10:30:00.000Z', { impressions: 600, likes: 30 });
    await settled(tenant);
    assert.deepEqual((await rollUp(tenant, c.id)).goals, [
      { kpi: 'impressions', target: 1000, actual: 600, progress: 60, reached: false },
      { kpi: 'posts', target: 2, actual: 1, progress: 50, reached: false },
      { kpi: 'engagements', target: 100, actual: 30, progress: 30, reached: false },
      { kpi: 'leads', target: 5, actual: null, progress: null, reached: false },
    ]);
    assert.deepEqual(await eventsOf(kit, tenant.accountId, EVENTS.campaignGoalReached), []);

    await published(tenant, c.id, p2);
    await synced(tenant, c.id, p2, '2027-03-02T10:40:00.000Z', { impressions: 500, likes: 20 });
    await synced(tenant, c.id, p2, '2027-03-02T11:10:00.000Z', { impressions: 700, likes: 25 });
    await settled(tenant);
    const reached = await eventsOf(kit, tenant.accountId, EVENTS.campaignGoalReached);
    assert.deepEqual(
      reached.map((e) => [e.kpi, e.target]),
      [
        ['posts', 2],
        ['impressions', 1000],
      ],
      'posts reached with the second post, impressions with its first read; each announced once',
    );
    assert.deepEqual(reached[1], { campaignId: c.id, kpi: 'impressions', target: 1000, actual: 1100 });

    // A raised target is a new goal: reached again, announced again.
    assert.equal((await tenant.as().inject({ method: 'PATCH', url: `${BASE}/${c.id}`, payload: { goals: [{ kpi: 'impressions', target: 1200 }] } })).statusCode, 200);
    await synced(tenant, c.id, p1, '2027-03-02T11:30:00.000Z', { impressions: 650, likes: 30 });
    await settled(tenant);
    assert.deepEqual(
      (await eventsOf(kit, tenant.accountId, EVENTS.campaignGoalReached)).map((e) => [e.kpi, e.target, e.actual]),
      [
        ['posts', 2, 2],
        ['impressions', 1000, 1100],
        ['impressions', 1200, 1350],
      ],
    );
  });

  test('the change and the goal event commit together or not at all', async () => {
    const tenant = await newTenant();
    const c = await createCampaign(tenant.as(), { goals: [{ kpi: 'posts', target: 1 }] });
    const store = internals(kit).metrics;
    await assert.rejects(
      kit.kernel.tenancy.withTenant(tenant.accountId, async (db) => {
        assert.ok(await store.recordPublished(db, tenant.accountId, base(c.id, p1), '2027-03-02T10:00:00.000Z'));
        await store.announceReachedGoals(db, tenant.accountId, c.id);
        throw new Error('handler failed after announcing');
      }),
      /handler failed/,
    );
    assert.deepEqual(await eventsOf(kit, tenant.accountId, EVENTS.campaignGoalReached), []);
    assert.equal((await rollUp(tenant, c.id)).posts, 0);
  });

  test('events without a campaign, or for a campaign that does not exist, are handled and change nothing', async () => {
    const tenant = await newTenant();
    const c = await createCampaign(tenant.as(), { goals: [] });
    await published(tenant, null, p1);
    await synced(tenant, null, p1, '2027-03-02T10:30:00.000Z', { impressions: 5 });
    await synced(tenant, randomUUID(), p2, '2027-03-02T10:30:00.000Z', { impressions: 5 });
    await settled(tenant);
    assert.equal((await rollUp(tenant, c.id)).posts, 0);
  });

  test("a tenant sees only its own campaigns' metrics; unknown campaigns are 404", async () => {
    const mine = await newTenant();
    const theirs = await newTenant();
    const c = await createCampaign(theirs.as(), { goals: [] });
    // Their campaign id in my tenant's event names no campaign of mine.
    await synced(mine, c.id, p1, '2027-03-02T10:30:00.000Z', { impressions: 5 });
    await settled(mine);
    assert.equal((await rollUp(theirs, c.id)).posts, 0);
    const foreign = await mine.as().inject({ method: 'GET', url: `${BASE}/${c.id}/metrics` });
    assert.equal(foreign.statusCode, 404);
    assert.equal((await mine.as().inject({ method: 'GET', url: `${BASE}/${randomUUID()}/metrics` })).statusCode, 404);
    assert.equal((await mine.as().inject({ method: 'GET', url: `${BASE}/nope/metrics` })).statusCode, 400);
    assert.equal((await theirs.as(['social.posts:read']).inject({ method: 'GET', url: `${BASE}/${c.id}/metrics` })).statusCode, 403);
  });
});
