import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { followAuthorization, startTestKernel, type TestKernel, type TestPrincipal } from '@markettina/sdk/testing';
import socialPlugin from '@markettina/plugin-social';
import { mastodonPlugin } from '../src/plugin.js';
import { startFakeMastodon, type FakeMastodon } from './fake-mastodon.js';

const REDIRECT_URI = 'https://app.markettina.test/oauth/callback';
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe('Mastodon end to end through the social REST API', () => {
  let kit: TestKernel;
  let fake: FakeMastodon;
  before(async () => {
    fake = await startFakeMastodon();
    kit = await startTestKernel({
      plugins: [
        // Loopback and plain http are allowed only because the fake instance listens on 127.0.0.1.
        { definition: socialPlugin, config: { oauth: { redirectUri: REDIRECT_URI }, network: { allowLoopback: true, allowPlainHttp: true }, timeouts: { connectMs: 1_000, responseMs: 1_500 } } },
        mastodonPlugin,
      ],
      config: { jobs: { scheduler: false } },
    });
  });
  after(async () => {
    await kit?.close();
    await fake?.close();
  });

  async function connect(caller: TestPrincipal) {
    const started = await caller.inject({ method: 'POST', url: '/v1/social/connections/oauth', payload: { connector: 'mastodon', setup: { instance: fake.origin } } });
    assert.equal(started.statusCode, 201, started.body);
    const back = await followAuthorization(started.json().authorizationUrl);
    const done = await caller.inject({ method: 'POST', url: '/v1/social/connections/oauth/callback', payload: { state: back.searchParams.get('state'), code: back.searchParams.get('code') } });
    assert.equal(done.statusCode, 201, done.body);
    return done.json();
  }
  const publish = (caller: TestPrincipal, socialAccountId: string, draft: object, key?: string) =>
    caller.inject({ method: 'POST', url: '/v1/social/posts', payload: { socialAccountId, draft }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
  const statusCount = () => fake.statuses.size;

  test('connect, publish, check status, read metrics, delete', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const account = await connect(caller);
    const host = new URL(fake.origin).host;
    assert.equal(account.status, 'connected');
    assert.equal(account.externalId, `${fake.user.id}@${host}`);
    assert.equal(account.handle, `@${fake.user.username}@${host}`);

    const res = await publish(caller, account.id, { text: 'Hello from Markettina #launch' }, 'launch-1');
    assert.equal(res.statusCode, 201, res.body);
    const post = res.json();
    assert.equal(post.status, 'published');
    assert.equal(fake.statuses.get(post.externalId)?.text, 'Hello from Markettina #launch');
    assert.ok(post.url.startsWith(fake.origin));

    const count = statusCount();
    const replay = await publish(caller, account.id, { text: 'Hello from Markettina #launch' }, 'launch-1');
    assert.deepEqual(replay.json(), post, 'a retried request replays the stored answer');
    assert.equal(statusCount(), count, 'and posts nothing');

    const buckets = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('rate_limits').pluck('bucket'));
    assert.ok(buckets.includes(`outbound:mastodon:${account.id}:api`), 'calls spend the kernel budget of this connected account');

    const status = await caller.inject({ method: 'GET', url: `/v1/social/posts/${post.id}` });
    assert.equal(status.json().status, 'published');

    fake.setCounts(post.externalId, { replies: 3, reblogs: 2, favourites: 5 });
    const metrics = await caller.inject({ method: 'GET', url: `/v1/social/posts/${post.id}/metrics` });
    assert.equal(metrics.statusCode, 200, metrics.body);
    assert.deepEqual(metrics.json().metrics, { comments: 3, shares: 2, likes: 5 });

    const deleted = await caller.inject({ method: 'DELETE', url: `/v1/social/posts/${post.id}` });
    assert.equal(deleted.json().status, 'deleted');
    assert.equal(fake.statuses.has(post.externalId), false);
  });

  test('a tenant that has not enabled the connector plugin cannot connect or publish through it', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const account = await connect(caller);
    await kit.kernel.accounts.setPluginState(tenant.accountId, 'connector-mastodon', { enabled: false });
    const before = statusCount();
    const refused = await publish(caller, account.id, { text: 'should not leave' });
    assert.equal(refused.statusCode, 404, refused.body);
    assert.equal(refused.json().code, 'CONNECTOR_NOT_ENABLED');
    const connectAgain = await caller.inject({ method: 'POST', url: '/v1/social/connections/oauth', payload: { connector: 'mastodon', setup: { instance: fake.origin } } });
    assert.equal(connectAgain.json().code, 'CONNECTOR_NOT_ENABLED');
    assert.equal(statusCount(), before, 'nothing reached the platform');
    await kit.kernel.accounts.setPluginState(tenant.accountId, 'connector-mastodon', { enabled: true });
    assert.equal((await publish(caller, account.id, { text: 'now it may' })).statusCode, 201);
  });

  test('one app is registered per instance and reused; tokens and the client secret are sealed at rest', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const apps = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/apps').length;
    const before = apps();
    const account = await connect(caller);
    await connect(caller);
    assert.equal(apps(), before + 1);

    const client = new pg.Client({ connectionString: kit.database.appUrl });
    await client.connect();
    try {
      await client.query('begin');
      await client.query("select set_config('app.current_account_id', $1, true)", [tenant.accountId]);
      const accounts = await client.query('select credentials_sealed from social_accounts where id = $1', [account.id]);
      const clients = await client.query('select client_id, client_secret_sealed from social_oauth_clients');
      await client.query('commit');
      const creds = JSON.parse(kit.kernel.secrets.open(accounts.rows[0].credentials_sealed, `social_accounts:${tenant.accountId}:${account.id}`));
      assert.ok(creds.accessToken);
      assert.ok(!JSON.stringify(accounts.rows).includes(creds.accessToken), 'the access token is readable at SQL level');
      assert.match(clients.rows[0].client_secret_sealed, /^v1\./);
    } finally {
      await client.end();
    }
  });

  test('threads reply to the post before; media wait for processing, even past one request', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const thread = (await publish(caller, account.id, { text: 'thread 1/2', thread: [{ text: 'thread 2/2' }] })).json();
    assert.equal(thread.parts.length, 2);
    assert.equal(fake.statuses.get(thread.parts[1].externalId)?.inReplyToId, thread.parts[0].externalId);

    fake.mediaPolls = 2;
    const quick = (await publish(caller, account.id, { text: 'a dot', media: [{ mimeType: 'image/png', data: PNG_1X1, altText: 'a dot' }] })).json();
    assert.equal(quick.status, 'published');
    assert.equal(fake.statuses.get(quick.externalId)?.mediaIds.length, 1);

    fake.mediaPolls = 6;
    try {
      const slow = (await publish(caller, account.id, { text: 'slow media', media: [{ mimeType: 'image/png', data: PNG_1X1 }] })).json();
      assert.equal(slow.status, 'pending');
      let now = slow;
      for (let i = 0; i < 5 && now.status === 'pending'; i++) now = (await caller.inject({ method: 'GET', url: `/v1/social/posts/${slow.id}` })).json();
      assert.equal(now.status, 'published');
      assert.equal(fake.statuses.get(now.externalId)?.text, 'slow media');
    } finally {
      fake.mediaPolls = 0;
    }
  });

  test('drafts are checked against the declared limits: 500 graphemes, URLs count as 23', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const long = await publish(caller, account.id, { text: 'x'.repeat(501) });
    assert.equal(long.statusCode, 422);
    assert.equal(long.json().code, 'DRAFT_INVALID');
    assert.equal(long.json().errors[0].code, 'TEXT_TOO_LONG');
    const withUrl = await publish(caller, account.id, { text: `${'👍🏽'.repeat(476)} https://example.com/${'a'.repeat(200)}` });
    assert.equal(withUrl.statusCode, 201, withUrl.body);
    assert.equal(withUrl.json().status, 'published', 'the instance agrees with the count');
  });

  test('a post deleted on the instance shows as deleted when checked', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const post = (await publish(caller, account.id, { text: 'gone soon' })).json();
    (fake.statuses as Map<string, unknown>).delete(post.externalId);
    assert.equal((await caller.inject({ method: 'GET', url: `/v1/social/posts/${post.id}` })).json().status, 'deleted');
  });

  test('a publish whose answer never came is kept unconfirmed, then settled with the same key', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    fake.failNext({ kind: 'stall' }, { unsafeOnly: true });
    const res = await publish(caller, account.id, { text: 'did it post?' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'unconfirmed');
    const settled = (await caller.inject({ method: 'GET', url: `/v1/social/posts/${res.json().id}` })).json();
    assert.equal(settled.status, 'published');
    assert.equal([...fake.statuses.values()].filter((s) => s.text === 'did it post?').length, 1);
  });

  test('rate limits and revoked tokens reach the client as problems, and a revoked token needs a reconnect', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const account = await connect(caller);
    fake.failNext({ kind: 'rate-limited', resetInSeconds: 30 }, { unsafeOnly: true });
    const limited = await publish(caller, account.id, { text: 'too soon' });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().code, 'PLATFORM_RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) >= 25);

    fake.revokeAll();
    const revoked = await publish(caller, account.id, { text: 'no token' });
    assert.equal(revoked.statusCode, 409);
    assert.equal(revoked.json().code, 'RECONNECT_REQUIRED');
    const row = (await caller.inject({ method: 'GET', url: `/v1/social/accounts/${account.id}` })).json();
    assert.equal(row.status, 'reconnect_required');
    const events = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('domain_events').select('type').orderBy('occurred_at'));
    assert.deepEqual(events.map((e: { type: string }) => e.type), ['social.account.connected', 'social.token.expired']);

    const again = await connect(caller);
    assert.equal(again.id, account.id, 'reconnecting revives the same account');
    assert.equal(again.status, 'connected');
  });
});
