import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { goalProgress, rollUp, totalsOf, type CampaignSums } from '../../src/domain/metrics.js';

const sums = (over: Partial<CampaignSums> = {}): CampaignSums => ({
  posts: 0,
  measuredPosts: 0,
  totals: {},
  engagements: null,
  ratedEngagements: 0,
  ratedBase: 0,
  ratedPosts: 0,
  rateSum: 0,
  lastSyncedAt: null,
  ...over,
});

describe('campaign roll-up', () => {
  test('the engagement rate is a ratio of sums; the mean of per-post rates is given too', () => {
    // Post A: 10 engagements on 1000 impressions (1 %); post B: 10 on 100 (10 %).
    const r = rollUp([], sums({ posts: 2, measuredPosts: 2, totals: { impressions: 1100 }, engagements: 20, ratedEngagements: 20, ratedBase: 1100, ratedPosts: 2, rateSum: 11 }));
    assert.equal(r.engagementRate, 2000 / 1100, 'the big post weighs more');
    assert.equal(r.meanEngagementRate, 5.5, 'a typical post');
  });

  test('nothing measured yet: no rates, posts still counted', () => {
    const r = rollUp([{ kpi: 'posts', target: 4 }], sums({ posts: 3 }));
    assert.equal(r.engagementRate, null);
    assert.equal(r.meanEngagementRate, null);
    assert.equal(r.engagements, null);
    assert.deepEqual(r.totals, {});
    assert.deepEqual(r.goals, [{ kpi: 'posts', target: 4, actual: 3, progress: 75, reached: false }]);
    assert.equal(r.lastSyncedAt, null);
  });

  test('goal progress per KPI; KPIs post metrics cannot measure have no actual value', () => {
    const s = sums({ posts: 5, totals: { impressions: 12_000, clicks: 30 }, engagements: 450 });
    assert.deepEqual(
      goalProgress(
        [
          { kpi: 'impressions', target: 10_000 },
          { kpi: 'clicks', target: 120 },
          { kpi: 'engagements', target: 450 },
          { kpi: 'posts', target: 3 },
          { kpi: 'leads', target: 10 },
          { kpi: 'reach', target: 10 },
        ],
        s,
      ),
      [
        { kpi: 'impressions', target: 10_000, actual: 12_000, progress: 120, reached: true },
        { kpi: 'clicks', target: 120, actual: 30, progress: 25, reached: false },
        { kpi: 'engagements', target: 450, actual: 450, progress: 100, reached: true },
        { kpi: 'posts', target: 3, actual: 5, progress: 500 / 3, reached: true },
        { kpi: 'leads', target: 10, actual: null, progress: null, reached: false },
        { kpi: 'reach', target: 10, actual: null, progress: null, reached: false },
      ],
    );
  });

  test('a metric no publication reports counts as 0 towards a goal, but is absent from the totals', () => {
    const s = sums({ posts: 1, totals: { views: 10 } });
    assert.deepEqual(goalProgress([{ kpi: 'clicks', target: 5 }], s), [{ kpi: 'clicks', target: 5, actual: 0, progress: 0, reached: false }]);
    assert.deepEqual(rollUp([], s).totals, { views: 10 });
  });

  test('totals read from SQL sums keep only the metrics some publication reported', () => {
    assert.deepEqual(totalsOf({ views: '12', likes: null, impressions: '0' }), { views: 12, impressions: 0 });
  });
});
