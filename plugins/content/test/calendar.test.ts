import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { MAX_CALENDAR_ITEMS } from '../src/services/calendar.js';
import { assertProblem, createCampaign, useTenantKit } from './fixtures/kit.js';
import { createPost } from './fixtures/posts.js';
import { connect, scheduleUrl, useScheduleKit } from './fixtures/schedule.js';

const CALENDAR = '/v1/content/calendar';

interface Day {
  date: string;
  items: { title: string; platform: string; status: string; at: string; localTime: string; excerpt: string; campaignId: string | null }[];
}

describe('the publishing calendar', () => {
  const s = useScheduleKit();
  let campaignId: string;
  before(async () => {
    const { ada, bea } = s;
    const owner = s.owner();
    campaignId = await createCampaign(owner);
    const plan: [string, Record<string, unknown>, string[]][] = [
      ['Evening', { at: '2027-03-27T23:30:00Z' }, [ada]],
      // 02:30 does not exist in Rome that night: it goes out at 03:30 (01:30Z).
      ['Night', { at: '2027-03-28T02:30', timeZone: 'Europe/Rome' }, [ada, bea]],
      ['Late', { at: '2027-03-28T22:30:00Z' }, [bea]],
      ['Outside', { at: '2027-03-30T00:00:00Z' }, [ada]],
      ['Withdrawn', { at: '2027-03-28T12:00:00Z' }, [ada]],
    ];
    for (const [title, time, accounts] of plan) {
      const post = await createPost(owner, { title, text: `${title} text ${'x'.repeat(200)}`, ...(title === 'Late' ? { campaignId } : {}) });
      const res = await owner.inject({ method: 'POST', url: scheduleUrl(post.id), payload: { targets: accounts.map((socialAccountId) => ({ socialAccountId })), ...time } });
      assert.equal(res.statusCode, 201, res.body);
      if (title === 'Withdrawn') await owner.inject({ method: 'DELETE', url: scheduleUrl(post.id) });
    }
    await connect((await s.kit.createTenant()).as(['*']), s.platform, 'stranger');
  });

  const calendar = (query: string) => s.tenant.as(['content.posts:read']).inject({ method: 'GET', url: `${CALENDAR}?${query}` });
  const window = 'from=2027-03-27T00:00:00Z&to=2027-03-30T00:00:00Z';
  const summary = (days: Day[]) => days.map((d) => [d.date, d.items.map((i) => `${i.title}/${i.platform}@${i.localTime.slice(11, 16)}`)]);

  test('items between two instants, grouped by day on the caller\'s clock', async () => {
    const rome = await calendar(`${window}&timeZone=Europe/Rome`);
    assert.equal(rome.statusCode, 200, rome.body);
    assert.deepEqual(summary(rome.json().days), [
      ['2027-03-28', ['Evening/scripted@00:30', 'Night/scripted@03:30', 'Night/scripted-b@03:30']],
      ['2027-03-29', ['Late/scripted-b@00:30']],
    ]);
    const ny = await calendar(`${window}&timeZone=America/New_York`);
    assert.deepEqual(summary(ny.json().days), [
      ['2027-03-27', ['Evening/scripted@19:30', 'Night/scripted@21:30', 'Night/scripted-b@21:30']],
      ['2027-03-28', ['Late/scripted-b@18:30']],
    ]);
    const item = rome.json().days[1].items[0];
    assert.deepEqual([item.status, item.at, item.campaignId, item.excerpt.length], ['scheduled', '2027-03-28T22:30:00.000Z', campaignId, 140]);
    assert.deepEqual([rome.json().timeZone, rome.json().truncated], ['Europe/Rome', false]);
  });

  test('the window is [from, to): an item due at `to` is left for the next page', async () => {
    const res = await calendar('from=2027-03-28T01:30:00Z&to=2027-03-28T22:30:00Z&timeZone=UTC');
    assert.deepEqual(summary(res.json().days), [['2027-03-28', ['Night/scripted@01:30', 'Night/scripted-b@01:30']]]);
  });

  test('filters by campaign and platform', async () => {
    assert.deepEqual(summary((await calendar(`${window}&timeZone=UTC&campaignId=${campaignId}`)).json().days), [['2027-03-28', ['Late/scripted-b@22:30']]]);
    assert.deepEqual(summary((await calendar(`${window}&timeZone=UTC&platform=scripted-b`)).json().days), [
      ['2027-03-28', ['Night/scripted-b@01:30', 'Late/scripted-b@22:30']],
    ]);
  });

  test('a bad zone or range is a 400 with its own code', async () => {
    assertProblem(await calendar(`${window}&timeZone=Mars/Olympus`), 400, 'TIME_ZONE_INVALID');
    assertProblem(await calendar('from=2027-01-01T00:00:00Z&to=2027-04-03T00:00:01Z&timeZone=UTC'), 400, 'CALENDAR_RANGE_TOO_LONG');
    assertProblem(await calendar('from=2027-01-02T00:00:00Z&to=2027-01-01T00:00:00Z&timeZone=UTC'), 400, 'CALENDAR_RANGE_INVALID');
    for (const query of ['to=2027-01-02T00:00:00Z&timeZone=UTC', 'from=2027-01-01&to=2027-01-02&timeZone=UTC', `${window}`]) {
      assert.equal((await calendar(query)).statusCode, 400, query);
    }
    assert.equal((await s.tenant.as([]).inject({ method: 'GET', url: `${CALENDAR}?${window}&timeZone=UTC` })).statusCode, 403);
  });
});

describe('a calendar window holding more than one answer lists', () => {
  const t = useTenantKit();
  const start = Date.parse('2027-05-01T00:00:00Z');
  const minute = (n: number) => new Date(start + n * 60_000).toISOString();

  before(async () => {
    const post = await createPost(t.owner(), { title: 'Busy' });
    // One statement writes every row: a target per minute, from minute 1 to one past the cap.
    await t.kit.kernel.tenancy.withTenant(t.tenant.accountId, (db) =>
      db.raw(
        `insert into content_post_schedules (account_id, post_id, version, social_account_id, connector, publication_id, due_at)
         select :accountId, :postId, 1, gen_random_uuid(), 'scripted', gen_random_uuid(), :start::timestamptz + i * interval '1 minute'
           from generate_series(1, :count) as i`,
        { accountId: t.tenant.accountId, postId: post.id, start: minute(0), count: MAX_CALENDAR_ITEMS + 1 },
      ),
    );
  });

  const items = async (from: string, to: string) => {
    const res = await t.tenant.as(['content.posts:read']).inject({ method: 'GET', url: `${CALENDAR}?from=${from}&to=${to}&timeZone=UTC` });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { days: Day[]; truncated: boolean };
    return { at: body.days.flatMap((d) => d.items.map((i) => i.at)), truncated: body.truncated };
  };

  test(`the first ${MAX_CALENDAR_ITEMS} in time order, and truncated: true; a window of exactly that many is complete`, async () => {
    const over = await items(minute(0), minute(3 * 24 * 60));
    assert.equal(over.truncated, true);
    assert.equal(over.at.length, MAX_CALENDAR_ITEMS);
    assert.deepEqual([over.at[0], over.at.at(-1)], [minute(1), minute(MAX_CALENDAR_ITEMS)], 'the latest one is left out');
    const exact = await items(minute(0), minute(MAX_CALENDAR_ITEMS + 1));
    assert.deepEqual([exact.at.length, exact.truncated], [MAX_CALENDAR_ITEMS, false]);
  });
});
