import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { localDay } from '@markettina/sdk';
import { startProcess, startTestKernel, type TestKernel, type TestProcess } from '@markettina/sdk/testing';
import { startScriptedPlatform, syncMetricsAt, type ScriptedPlatform } from '@markettina/plugin-social/testing';
import { Client, eventually } from './fixtures/client.js';
import { ACCOUNT_RATE_LIMIT, journeyPlugins } from './fixtures/plugins.js';

const NODE_SCRIPT = fileURLToPath(new URL('./fixtures/node.ts', import.meta.url));

const HANDLES = ['north', 'south', 'east', 'west'];
const POSTS = 12;
const ZONE = 'America/New_York';

/**
 * The first journey a user takes, through the REST API of real nodes (separate processes
 * over real HTTP) against a fake social platform: plan a campaign, write posts, get them
 * approved, schedule them to several accounts, see them published and measured. A node is
 * killed with SIGKILL while it publishes; the restarted cluster neither loses nor
 * duplicates a post.
 */
describe('journey: plan, write, approve, schedule, publish (through a crash), measure', () => {
  let kit: TestKernel;
  let platform: ScriptedPlatform;
  const nodes: TestProcess[] = [];

  const startNode = async (): Promise<{ process: TestProcess; url: string }> => {
    const node = startProcess(NODE_SCRIPT, {
      JOURNEY_APP_URL: kit.database.appUrl,
      JOURNEY_OWNER_URL: kit.database.ownerUrl,
      JOURNEY_KERNEL: JSON.stringify({ secrets: kit.kernel.config.secrets, storage: kit.kernel.config.storage }),
      JOURNEY_PLATFORM: platform.origin,
    });
    nodes.push(node);
    const line = await node.waitForLine(/^listening /, 60_000);
    return { process: node, url: line.slice('listening '.length) };
  };

  before(async () => {
    platform = await startScriptedPlatform({ rateLimit: ACCOUNT_RATE_LIMIT });
    // This process only provisions the tenant and inspects; the nodes serve, publish and dispatch.
    kit = await startTestKernel({ plugins: journeyPlugins(platform.origin), config: { jobs: { scheduler: false, worker: false }, events: { dispatcher: false } } });
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.kill()));
    await kit?.close();
    await platform?.close();
  });

  test('every scheduled post goes out exactly once, is mirrored on its post and calendar, and rolls up to the campaign', async () => {
    // The platform team provisions a tenant that requires approval before anything is scheduled.
    const tenant = await kit.createTenant({ enable: 'all' });
    await kit.kernel.accounts.setPluginState(tenant.accountId, 'content', { enabled: true, settings: { requireApproval: true } });
    const authorKey = await tenant.as(['campaigns.campaigns:read', 'campaigns.campaigns:write', 'social.accounts:read', 'social.accounts:write', 'social.posts:read', 'content.posts:read', 'content.posts:write', 'content.posts:schedule']).ready();
    const reviewerKey = await tenant.as(['content.posts:read', 'content.posts:approve']).ready();

    const first = await startNode();
    const author = new Client(first.url, authorKey.token);
    const reviewer = new Client(first.url, reviewerKey.token);

    // Connect four accounts on the platform.
    const accounts: { id: string }[] = [];
    for (const handle of HANDLES) {
      accounts.push(await author.ok(201, 'POST', '/v1/social/connections/credentials', { connector: 'scripted', fields: { apiKey: platform.apiKey(handle) } }));
    }

    // Plan and start a campaign.
    const today = new Date().toISOString().slice(0, 10);
    const campaign = await author.ok(201, 'POST', '/v1/campaigns/campaigns', { name: 'Winter launch', goals: [{ kpi: 'posts', target: POSTS * HANDLES.length }, { kpi: 'engagements', target: 100 }], startDate: today, endDate: '2099-12-31', budgetTokens: 1000 });
    await author.ok(200, 'POST', `/v1/campaigns/campaigns/${campaign.id}/transitions`, { to: 'active' });

    // Write the posts; the platform gets a shorter variant of every post.
    const posts: { id: string }[] = [];
    for (let i = 0; i < POSTS; i++) {
      const post = await author.ok(201, 'POST', '/v1/content/posts', { title: `Launch note ${i}`, text: `Launch note ${i}: our winter line is out. #WinterLaunch #Note${i} with @press@news.example`, campaignId: campaign.id });
      assert.deepEqual(new Set(post.hashtags.map((h: string) => h.toLowerCase())), new Set(['winterlaunch', `note${i}`]));
      await author.ok(200, 'PUT', `/v1/content/posts/${post.id}/variants/scripted`, { text: `Note ${i}: winter line out #WinterLaunch` });
      posts.push(post);
    }
    const due = new Date(Date.now() + 8_000);
    const dueAt = due.toISOString();
    const targets = accounts.map((a) => ({ socialAccountId: a.id }));

    // Not approved yet: scheduling is refused.
    const refused = await author.call('POST', `/v1/content/posts/${posts[0]!.id}/schedule`, { targets, at: dueAt });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'APPROVAL_REQUIRED');

    for (const post of posts) {
      await author.ok(200, 'POST', `/v1/content/posts/${post.id}/submit`);
      const approved = await reviewer.ok(200, 'POST', `/v1/content/posts/${post.id}/approve`);
      assert.equal(approved.approvalStatus, 'approved');
      const scheduled = await author.ok(201, 'POST', `/v1/content/posts/${post.id}/schedule`, { targets, at: dueAt, timeZone: ZONE });
      assert.equal(scheduled.schedules.length, HANDLES.length);
    }
    const total = POSTS * HANDLES.length;

    // Slow platform answers for the first posts of every account, created before the answer:
    // the node that is killed has published some of them without learning so.
    for (const handle of HANDLES) platform.scriptAccount(handle, ...Array.from({ length: 4 }, () => ({ kind: 'slow' as const, ms: 1_500, afterCreate: true })));

    await eventually('the first node to start publishing', async () => (platform.posts.length >= 3 ? true : undefined), 30_000, 50);
    await first.process.kill();
    assert.equal(first.process.child.signalCode, 'SIGKILL');
    assert.ok(platform.posts.length < total, 'the crash came while publishing');
    const inFlight = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('social_publications').where({ status: 'publishing' }).pluck('id'));
    assert.ok(inFlight.some((id: string) => platform.createdFor(id) === 1), 'the dead node left posts the platform created but it never recorded');

    // The restarted cluster: two nodes share the rest and settle what the dead node left open.
    const [second, third] = await Promise.all([startNode(), startNode()]);
    const client = new Client(second!.url, authorKey.token);
    const other = new Client(third!.url, authorKey.token);

    const publications = await eventually(
      'every publication to be published',
      async () => {
        const items: any[] = [];
        let cursor: string | undefined;
        do {
          const page = await client.get(`/v1/social/publications?campaignId=${campaign.id}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return items.length === total && items.every((p) => p.status === 'published') ? items : undefined;
      },
      60_000,
      300,
    );

    // Exactly once on the platform: one post per publication, none lost, none twice.
    assert.equal(platform.duplicates(), 0, 'no post went out twice');
    assert.equal(platform.posts.length, total, 'no post was lost');
    for (const p of publications) assert.equal(platform.createdFor(p.id), 1, `publication ${p.id} created once`);
    assert.equal(platform.overLimit, 0, "the account's declared rate limit was never exceeded");
    // Each account got its platform variant.
    assert.ok(platform.posts.every((p) => /^Note \d+: winter line out #WinterLaunch$/.test(p.text)));

    // The outcomes reach content (through the event bus) on whichever node asks.
    await eventually(
      'every post to be mirrored as published',
      async () => {
        const page = await other.get(`/v1/content/posts?campaignId=${campaign.id}&limit=100`);
        return page.items.length === POSTS && page.items.every((p: any) => p.deliveryStatus === 'published') ? true : undefined;
      },
      30_000,
      300,
    );
    const schedule = await other.get(`/v1/content/posts/${posts[0]!.id}/schedule`);
    assert.equal(schedule.items.length, HANDLES.length);
    assert.ok(schedule.items.every((s: any) => s.status === 'published' && s.url && s.externalId));

    // The calendar shows them on the due day in the caller's zone.
    const from = new Date(due.getTime() - 3_600_000).toISOString();
    const to = new Date(due.getTime() + 3_600_000).toISOString();
    const calendar = await other.get(`/v1/content/calendar?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&timeZone=${encodeURIComponent(ZONE)}`);
    const items = calendar.days.flatMap((d: any) => d.items.map((i: any) => ({ ...i, date: d.date })));
    assert.equal(items.length, total);
    assert.ok(items.every((i: any) => i.date === localDay(due, ZONE) && i.status === 'published'));

    // Half an hour later the metrics are read; the campaign adds them up.
    for (const [i, post] of platform.posts.entries()) platform.setMetrics(post.id, { views: 100, likes: i % 5, comments: 1, shares: 0 });
    const expectedEngagements = platform.posts.reduce((sum, _p, i) => sum + (i % 5) + 1, 0);
    await syncMetricsAt(kit.kernel, new Date(Date.now() + 31 * 60_000));
    const metrics = await eventually(
      'the campaign to roll up every publication',
      async () => {
        const m = await client.get(`/v1/campaigns/campaigns/${campaign.id}/metrics`);
        return m.measuredPosts === total ? m : undefined;
      },
      30_000,
      300,
    );
    assert.equal(metrics.posts, total);
    assert.equal(metrics.totals.views, 100 * total);
    assert.equal(metrics.engagements, expectedEngagements);
    assert.ok(Math.abs(metrics.engagementRate - (expectedEngagements / (100 * total)) * 100) < 1e-9);
    const postsGoal = metrics.goals.find((g: any) => g.kpi === 'posts');
    assert.equal(postsGoal.reached, true);
  });
});
