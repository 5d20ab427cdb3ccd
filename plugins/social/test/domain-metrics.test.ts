import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firstSyncAt, METRICS_HORIZON_MS, nextSyncAt, syncInterval } from '../src/domain/metrics-cadence.js';
import { correctedMetrics, reportedMetrics } from '../src/domain/metrics-values.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const published = new Date('2027-03-01T10:07:00Z');
const at = (ms: number) => new Date(published.getTime() + ms);
const after = (ms: number) => nextSyncAt(published, at(ms))?.getTime() ?? null;

describe('metrics cadence', () => {
  test('every 30 minutes for two days, every 6 hours to day 30, daily to day 90, then never', () => {
    assert.equal(syncInterval(0), 30 * MIN);
    assert.equal(syncInterval(48 * HOUR - 1), 30 * MIN);
    assert.equal(syncInterval(48 * HOUR), 6 * HOUR);
    assert.equal(syncInterval(30 * DAY - 1), 6 * HOUR);
    assert.equal(syncInterval(30 * DAY), DAY);
    assert.equal(syncInterval(90 * DAY - 1), DAY);
    assert.equal(syncInterval(90 * DAY), undefined);
    assert.equal(METRICS_HORIZON_MS, 90 * DAY);
  });

  test('the first sync is half an hour after publishing', () => {
    assert.equal(firstSyncAt(published).toISOString(), '2027-03-01T10:37:00.000Z');
  });

  test('syncs sit on a grid anchored at publication, so a late run does not shift later syncs', () => {
    assert.equal(after(30 * MIN), published.getTime() + 60 * MIN);
    // Synced 13 minutes late: the next is still on the half-hour grid of the post.
    assert.equal(after(30 * MIN + 13 * MIN), published.getTime() + 60 * MIN);
    assert.equal(after(5 * HOUR + 59 * MIN), published.getTime() + 6 * HOUR);
    // A run held up for three hours resumes on the grid, not three hours behind it.
    assert.equal(after(3 * HOUR + 1), published.getTime() + 3.5 * HOUR);
  });

  test('the grids meet at the band boundaries', () => {
    assert.equal(after(48 * HOUR - 30 * MIN), published.getTime() + 48 * HOUR, 'the last half-hourly sync lands on hour 48');
    assert.equal(after(48 * HOUR), published.getTime() + 54 * HOUR);
    assert.equal(after(30 * DAY - 6 * HOUR), published.getTime() + 30 * DAY);
    assert.equal(after(30 * DAY), published.getTime() + 31 * DAY);
  });

  test('the last sync is on day 90; after it nothing more is scheduled', () => {
    assert.equal(after(89 * DAY), published.getTime() + 90 * DAY);
    assert.equal(after(89 * DAY + 23 * HOUR), published.getTime() + 90 * DAY);
    assert.equal(after(90 * DAY), null);
    assert.equal(after(400 * DAY), null);
  });

  test('deterministic: the same inputs give the same time, and the next sync is always later', () => {
    for (let ms = 0; ms < 91 * DAY; ms += 37 * MIN + 11_000) {
      const a = after(ms);
      assert.equal(a, after(ms));
      if (a !== null) assert.ok(a > published.getTime() + ms, `at +${ms} ms`);
    }
  });

  test('a clock behind the publication instant counts as age 0', () => {
    assert.equal(after(-5 * MIN), published.getTime() + 30 * MIN);
  });
});

describe('metric values', () => {
  test('keeps what the platform said, drops what cannot be a count', () => {
    assert.deepEqual(reportedMetrics({ likes: 3, views: 0, shares: -1, comments: 2.5, clicks: Number.NaN, saves: 7 }), { likes: 3, views: 0, saves: 7 });
    assert.deepEqual(reportedMetrics({ reach: 9 } as never), {});
    assert.deepEqual(reportedMetrics(null), {});
  });

  test('a counter that went down is reported as a correction, not hidden', () => {
    assert.deepEqual(correctedMetrics({ likes: 10, comments: 2 }, { likes: 8, comments: 3 }), ['likes']);
    assert.deepEqual(correctedMetrics(undefined, { likes: 8 }), []);
    assert.deepEqual(correctedMetrics({ likes: 10 }, { comments: 1 }), [], 'a metric no longer reported is not a correction');
  });
});
