import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import type { PublicationView } from '../src/contracts.js';
import { socialPlugin } from '../src/plugin.js';
import { connectScriptedAccount, publishDue, scriptedConnectorPlugin, socialTestConfig, startScriptedPlatform, type ScriptedPlatform } from '../src/testing/index.js';
import { publications } from './fixtures/publishing.js';

const CAMPAIGN = 'c0a80101-0000-4000-8000-00000000000a';
const HOUR = 3_600_000;

describe('REST: /v1/social/publications', () => {
  let kit: TestKernel;
  let platform: ScriptedPlatform;
  let a: Awaited<ReturnType<ReturnType<typeof publications>['account']>>;
  let otherAccountId: string;
  const scheduled: PublicationView[] = [];
  const base = Date.UTC(2031, 0, 1, 9, 0, 0);

  before(async () => {
    platform = await startScriptedPlatform();
    kit = await startTestKernel({
      plugins: [
        { definition: socialPlugin, config: socialTestConfig() },
        scriptedConnectorPlugin({ origin: platform.origin }),
        scriptedConnectorPlugin({ origin: platform.origin, id: 'scripted-none', publishIdempotency: 'none' }),
      ],
      config: { jobs: { scheduler: false }, events: { dispatcher: false } },
    });
    a = await publications(kit).account(platform, 'rest');
    otherAccountId = (await connectScriptedAccount(a.caller, platform, 'rest-b', 'scripted-none')).id;
    const publisher = publications(kit).publisher;
    // Seven publications an hour apart; every other one in a campaign; the last three on the second account.
    for (let i = 0; i < 7; i++) {
      const socialAccountId = i < 4 ? a.socialAccountId : otherAccountId;
      scheduled.push(
        await a.inTenant((trx) =>
          publisher.schedule(trx, { socialAccountId, draft: { text: `post ${i}` }, dueAt: new Date(base + i * HOUR), timeZone: 'Europe/Rome', source: { plugin: 'content', id: `p${i}` }, campaignId: i % 2 === 0 ? CAMPAIGN : null }),
        ),
      );
    }
    // One more, due now, to be published.
    scheduled.push(await a.schedule({ campaignId: CAMPAIGN }));
    await publishDue(kit.kernel);
  });
  after(async () => {
    await kit?.close();
    await platform?.close();
  });

  const list = async (query: string) => {
    const res = await a.caller.inject({ method: 'GET', url: `/v1/social/publications${query}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { items: PublicationView[]; nextCursor: string | null };
  };
  const ids = (items: PublicationView[]) => items.map((p) => p.id);

  test('pages walk every publication once, in due order', async () => {
    const seen: PublicationView[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items);
      cursor = page.nextCursor;
      assert.ok(++pages <= 4, 'too many pages');
    } while (cursor);
    assert.equal(pages, 3);
    const due = [...scheduled].sort((x, y) => x.dueAt.localeCompare(y.dueAt) || x.id.localeCompare(y.id));
    assert.deepEqual(ids(seen), ids(due));
  });

  test('filters: status, platform, campaign, account and due range', async () => {
    const published = (await list('?status=published')).items;
    assert.deepEqual(ids(published), [scheduled[7]!.id]);
    assert.equal(published[0]!.externalId, platform.posts.find((p) => p.ref === scheduled[7]!.id)!.id);
    assert.deepEqual(ids((await list('?platform=scripted-none')).items), ids(scheduled.slice(4, 7)));
    assert.deepEqual(ids((await list(`?campaignId=${CAMPAIGN}`)).items).sort(), ids([0, 2, 4, 6, 7].map((i) => scheduled[i]!)).sort());
    assert.deepEqual(ids((await list(`?socialAccountId=${otherAccountId}&status=scheduled`)).items), ids(scheduled.slice(4, 7)));
    const from = new Date(base + HOUR).toISOString();
    const to = new Date(base + 3 * HOUR).toISOString();
    assert.deepEqual(ids((await list(`?dueFrom=${from}&dueTo=${to}`)).items), ids(scheduled.slice(1, 3)), 'from inclusive, to exclusive');
    assert.deepEqual((await list('?platform=nothing-here')).items, []);
  });

  test('bad queries are 400 problems with stable codes', async () => {
    const get = (query: string) => a.caller.inject({ method: 'GET', url: `/v1/social/publications${query}` });
    const range = await get(`?dueFrom=${new Date(base + HOUR).toISOString()}&dueTo=${new Date(base).toISOString()}`);
    assert.equal(range.statusCode, 400);
    assert.equal(range.json().code, 'DUE_RANGE_INVALID');
    for (const cursor of ['garbage', Buffer.from(JSON.stringify(['2031-02-30 10:00:00+00', scheduled[0]!.id])).toString('base64url'), Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url')]) {
      const res = await get(`?cursor=${cursor}`);
      assert.equal(res.statusCode, 400, cursor);
      assert.equal(res.json().code, 'INVALID_CURSOR');
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
    }
    assert.equal((await get('?status=lost')).statusCode, 400);
  });

  test('GET one: the tenant own publications only', async () => {
    const res = await a.caller.inject({ method: 'GET', url: `/v1/social/publications/${scheduled[0]!.id}` });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), scheduled[0]);
    const stranger = (await kit.createTenant()).as();
    const theirs = await stranger.inject({ method: 'GET', url: `/v1/social/publications/${scheduled[0]!.id}` });
    assert.equal(theirs.statusCode, 404);
    assert.equal(theirs.json().code, 'NOT_FOUND');
    assert.deepEqual((await stranger.inject({ method: 'GET', url: '/v1/social/publications' })).json().items, []);
  });

  test('cancel: a scheduled publication is withdrawn once; a published one is a 409', async () => {
    const target = scheduled[1]!;
    const readOnly = a.tenant.as(['social.posts:read']);
    const refused = await readOnly.inject({ method: 'POST', url: `/v1/social/publications/${target.id}/cancel` });
    assert.equal(refused.statusCode, 403);
    const res = await a.caller.inject({ method: 'POST', url: `/v1/social/publications/${target.id}/cancel` });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'cancelled');
    const again = await a.caller.inject({ method: 'POST', url: `/v1/social/publications/${target.id}/cancel` });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'PUBLICATION_NOT_SCHEDULED');
    const live = await a.caller.inject({ method: 'POST', url: `/v1/social/publications/${scheduled[7]!.id}/cancel` });
    assert.equal(live.json().code, 'PUBLICATION_NOT_SCHEDULED');
    assert.equal((await a.caller.inject({ method: 'POST', url: '/v1/social/publications/00000000-0000-4000-8000-000000000000/cancel' })).statusCode, 404);
  });
});
