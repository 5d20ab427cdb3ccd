import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { MetricsSynced } from '../src/contracts.js';
import { socialPlugin } from '../src/plugin.js';
import { publishDue, scriptedConnectorPlugin, socialTestConfig, startScriptedPlatform, type ScriptedPlatform } from '../src/testing/index.js';
import { metricsEnrolled } from '../src/testing/metrics.js';
import { metricsKit, MIN } from './fixtures/metrics.js';
import { publications } from './fixtures/publishing.js';

describe('metrics of posts the publish pipeline published', () => {
  let kit: TestKernel;
  let platform: ScriptedPlatform;
  before(async () => {
    platform = await startScriptedPlatform();
    kit = await startTestKernel({
      plugins: [{ definition: socialPlugin, config: socialTestConfig() }, scriptedConnectorPlugin({ origin: platform.origin })],
      config: { jobs: { scheduler: false } },
    });
  });
  after(async () => {
    await kit?.close();
    await platform?.close();
  });

  test('published by the job, enrolled from its PostPublished, read on the cadence with its campaign and source', async () => {
    const m = metricsKit(kit);
    const a = await publications(kit).account(platform, 'metrics-ada');
    const campaignId = 'c0a80101-0000-4000-8000-000000000002';
    const scheduled = await a.schedule({ campaignId, source: { plugin: 'content', id: 'post-7', version: 3 } });
    assert.equal((await publishDue(kit.kernel)).get(scheduled.id), 'published');
    const view = await a.get(scheduled.id);
    const publishedAt = new Date(view.publishedAt!);

    await metricsEnrolled(kit.kernel);
    const sync = await m.syncOf(a.tenant, scheduled.id);
    assert.equal(sync?.next_sync_at!.getTime(), publishedAt.getTime() + 30 * MIN, 'enrolled from its PostPublished');

    // The scripted platform counts views, not impressions: the rate is taken over views.
    platform.setMetrics(view.externalId!, { views: 200, likes: 6, comments: 3, shares: 1 });
    const report = await m.sync(new Date(publishedAt.getTime() + 30 * MIN));
    assert.equal(report.synced, 1);
    const events = (await a.events()).filter((e) => e.type === MetricsSynced);
    assert.deepEqual(events.map((e) => e.data), [
      {
        publicationId: scheduled.id,
        socialAccountId: a.socialAccountId,
        connector: 'scripted',
        source: { plugin: 'content', id: 'post-7', version: 3 },
        campaignId,
        syncedAt: new Date(publishedAt.getTime() + 30 * MIN).toISOString(),
        metrics: { views: 200, likes: 6, comments: 3, shares: 1 },
        engagementRate: 5,
      },
    ]);
  });
});
