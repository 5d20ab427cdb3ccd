import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startTestKernel, type TestKernel, type TestPrincipal } from '@markettina/sdk/testing';
import socialPlugin from '@markettina/plugin-social';
import { blueskyPlugin } from '../src/plugin.js';
import { recordKeyFor } from '../src/record-key.js';
import { parseAtUri } from '../src/records.js';
import { startFakeBluesky, type FakeBluesky } from './fake-bluesky.js';

const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

interface StoredFacet {
  index: { byteStart: number; byteEnd: number };
  features: Record<string, string>[];
}

describe('Bluesky end to end through the social REST API', () => {
  let kit: TestKernel;
  let fake: FakeBluesky;
  before(async () => {
    fake = await startFakeBluesky();
    kit = await startTestKernel({
      plugins: [
        // Loopback and plain http are allowed only because the fake PDS listens on 127.0.0.1.
        { definition: socialPlugin, config: { network: { allowLoopback: true, allowPlainHttp: true }, timeouts: { connectMs: 1_000, responseMs: 1_500 } } },
        blueskyPlugin,
      ],
      config: { jobs: { scheduler: false } },
    });
  });
  after(async () => {
    await kit?.close();
    await fake?.close();
  });

  const connectWith = (caller: TestPrincipal, fields: Record<string, string>, setup: Record<string, string> = { pds: fake.origin, languages: 'en' }) =>
    caller.inject({ method: 'POST', url: '/v1/social/connections/credentials', payload: { connector: 'bluesky', setup, fields } });
  async function connect(caller: TestPrincipal) {
    const res = await connectWith(caller, { identifier: fake.account.handle, appPassword: fake.account.appPassword });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }
  const publish = (caller: TestPrincipal, socialAccountId: string, draft: object) => caller.inject({ method: 'POST', url: '/v1/social/posts', payload: { socialAccountId, draft } });
  const check = async (caller: TestPrincipal, id: string) => (await caller.inject({ method: 'GET', url: `/v1/social/posts/${id}` })).json();
  const calls = (nsid: string) => fake.requests.filter((r) => r.path === `/xrpc/${nsid}`).length;
  const eventTypes = (accountId: string) => kit.kernel.tenancy.withTenant(accountId, (trx) => trx('domain_events').orderBy('occurred_at').pluck('type'));

  test('connect with an app password; publish a link, a mention, a hashtag and an image; check status, read metrics, delete', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const account = await connect(caller);
    assert.equal(account.status, 'connected');
    assert.equal(account.externalId, fake.account.did);
    assert.equal(account.handle, `@${fake.account.handle}`);

    const text = 'Launch day with @alice.bsky.social 🚀 https://example.com/launch #markettina';
    const res = await publish(caller, account.id, { text, media: [{ mimeType: 'image/png', data: PNG_1X1, altText: 'a dot' }] });
    assert.equal(res.statusCode, 201, res.body);
    const post = res.json();
    assert.equal(post.status, 'published');
    const address = parseAtUri(post.externalId)!;
    assert.deepEqual(address, { repo: fake.account.did, collection: 'app.bsky.feed.post', rkey: recordKeyFor(post.id) }, 'the record key derives from the post id');
    assert.equal(post.url, `https://bsky.app/profile/${fake.account.did}/post/${address.rkey}`);

    const record = fake.posts.get(post.externalId)!.value as unknown as Record<string, unknown> & { facets: StoredFacet[]; embed: { images: { alt: string; image: { ref: { $link: string } } }[] } };
    assert.equal(record.text, text);
    assert.deepEqual(record.langs, ['en']);
    const bytes = Buffer.from(text, 'utf8');
    assert.deepEqual(
      record.facets.map((f) => [bytes.subarray(f.index.byteStart, f.index.byteEnd).toString('utf8'), f.features[0]]),
      [
        ['@alice.bsky.social', { $type: 'app.bsky.richtext.facet#mention', did: fake.users.get('alice.bsky.social') }],
        ['https://example.com/launch', { $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com/launch' }],
        ['#markettina', { $type: 'app.bsky.richtext.facet#tag', tag: 'markettina' }],
      ],
    );
    assert.equal(record.embed.images[0]!.alt, 'a dot');
    assert.equal(fake.blobs.get(record.embed.images[0]!.image.ref.$link)?.size, Buffer.from(PNG_1X1, 'base64').length);

    const buckets = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('rate_limits').pluck('bucket'));
    for (const budget of ['api', 'write']) assert.ok(buckets.includes(`outbound:bluesky:${account.id}:${budget}`), `calls spend the ${budget} budget of this connected account`);

    assert.equal((await check(caller, post.id)).status, 'published');

    fake.setCounts(post.externalId, { likes: 5, reposts: 2, quotes: 1, replies: 3 });
    const metrics = await caller.inject({ method: 'GET', url: `/v1/social/posts/${post.id}/metrics` });
    assert.equal(metrics.statusCode, 200, metrics.body);
    assert.deepEqual(metrics.json().metrics, { likes: 5, shares: 3, comments: 3 });

    const deleted = await caller.inject({ method: 'DELETE', url: `/v1/social/posts/${post.id}` });
    assert.equal(deleted.json().status, 'deleted');
    assert.equal(fake.posts.has(post.externalId), false);
  });

  test('the session tokens and the app password are sealed at rest', async () => {
    const tenant = await kit.createTenant();
    const account = await connect(tenant.as());
    const client = new pg.Client({ connectionString: kit.database.appUrl });
    await client.connect();
    try {
      await client.query('begin');
      await client.query("select set_config('app.current_account_id', $1, true)", [tenant.accountId]);
      const rows = await client.query('select * from social_accounts where id = $1', [account.id]);
      await client.query('commit');
      const creds = JSON.parse(kit.kernel.secrets.open(rows.rows[0].credentials_sealed, `social_accounts:${tenant.accountId}:${account.id}`));
      assert.ok(creds.accessToken && creds.refreshToken);
      const raw = JSON.stringify(rows.rows);
      for (const secret of [creds.accessToken, creds.refreshToken, fake.account.appPassword]) assert.ok(!raw.includes(secret), 'a secret is readable at SQL level');
    } finally {
      await client.end();
    }
  });

  test('a thread replies to the post before, rooted at the first', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const thread = (await publish(caller, account.id, { text: 'thread 1/3', thread: [{ text: 'thread 2/3' }, { text: 'thread 3/3' }] })).json();
    assert.equal(thread.status, 'published');
    const [first, second, third] = thread.parts.map((p: { externalId: string }) => fake.posts.get(p.externalId)!);
    assert.equal(first.value.reply, undefined);
    assert.deepEqual(second.value.reply, { root: { uri: first.uri, cid: first.cid }, parent: { uri: first.uri, cid: first.cid } });
    assert.deepEqual(third.value.reply, { root: { uri: first.uri, cid: first.cid }, parent: { uri: second.uri, cid: second.cid } });
  });

  test('drafts are checked against the declared limits: 300 graphemes, and 3,000 bytes', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const long = await publish(caller, account.id, { text: 'x'.repeat(301) });
    assert.equal(long.statusCode, 422);
    assert.equal(long.json().code, 'DRAFT_INVALID');
    assert.equal(long.json().errors[0].code, 'TEXT_TOO_LONG');
    const accents = await publish(caller, account.id, { text: 'e\u0301'.repeat(300) });
    assert.equal(accents.json().status, 'published', 'the PDS agrees that 600 code points are 300 graphemes');
    const heavy = await publish(caller, account.id, { text: '👨‍👩‍👧'.repeat(200) });
    assert.equal(heavy.statusCode, 422);
    assert.deepEqual(heavy.json().errors.map((e: { limit: number }) => e.limit), [3000]);
  });

  test('an expired access token is refreshed and the call goes through', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const account = await connect(caller);
    const refreshes = calls('com.atproto.server.refreshSession');
    fake.advance(3 * 3600);
    const res = await publish(caller, account.id, { text: 'after a long lunch' });
    assert.equal(res.json().status, 'published', res.body);
    assert.equal(calls('com.atproto.server.refreshSession'), refreshes + 1);
    assert.deepEqual(await eventTypes(tenant.accountId), ['social.account.connected', 'social.token.refreshed']);
  });

  test('when the refresh token has ended too, the stored app password opens a new session', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const signIns = calls('com.atproto.server.createSession');
    fake.advance(91 * 86_400);
    const res = await publish(caller, account.id, { text: 'back after three months' });
    assert.equal(res.json().status, 'published', res.body);
    assert.equal(calls('com.atproto.server.createSession'), signIns + 1);
  });

  test('a revoked app password makes the account need a reconnect', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const account = await connect(caller);
    fake.revokeAppPassword();
    fake.advance(3 * 3600);
    const res = await publish(caller, account.id, { text: 'no session' });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().code, 'RECONNECT_REQUIRED');
    assert.equal((await caller.inject({ method: 'GET', url: `/v1/social/accounts/${account.id}` })).json().status, 'reconnect_required');
    assert.deepEqual(await eventTypes(tenant.accountId), ['social.account.connected', 'social.token.expired']);
  });

  test('a publish whose answer was lost is settled by its record key, without a second post', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    fake.loseNextWriteAnswer();
    const res = await publish(caller, account.id, { text: 'did it post?' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'unconfirmed');
    const settled = await check(caller, res.json().id);
    assert.equal(settled.status, 'published');
    const copies = [...fake.posts.values()].filter((p) => p.value.text === 'did it post?');
    assert.deepEqual(copies.map((p) => p.uri), [settled.externalId]);
  });

  test('a post deleted in the Bluesky app shows as deleted when checked', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const post = (await publish(caller, account.id, { text: 'gone soon' })).json();
    fake.removePost(post.externalId);
    assert.equal((await check(caller, post.id)).status, 'deleted');
  });

  test('refused and malformed sign-ins, private PDS addresses and platform rate limits reach the client as problems', async () => {
    const caller = (await kit.createTenant()).as();
    const wrong = await connectWith(caller, { identifier: fake.account.handle, appPassword: 'wxyz-wxyz-wxyz-wxyz' });
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().code, 'CREDENTIALS_REFUSED');
    const notAppPassword = await connectWith(caller, { identifier: fake.account.handle, appPassword: 'my main password' });
    assert.equal(notAppPassword.statusCode, 422);
    assert.equal(notAppPassword.json().code, 'FIELDS_INVALID');
    const before = fake.requests.length;
    const privatePds = await connectWith(caller, { identifier: fake.account.handle, appPassword: fake.account.appPassword }, { pds: 'https://10.1.2.3' });
    assert.equal(privatePds.statusCode, 422);
    assert.equal(privatePds.json().code, 'ORIGIN_NOT_ALLOWED');
    assert.equal(fake.requests.length, before);

    const account = await connect(caller);
    fake.failNext({ kind: 'rate-limited', resetInSeconds: 30 }, { unsafeOnly: true });
    const limited = await publish(caller, account.id, { text: 'too soon' });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().code, 'PLATFORM_RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) >= 25);
  });

  test('the platform list serves the declaration: graphemes, an optional PDS defaulting to bsky.social, app-password fields', async () => {
    const res = await (await kit.createTenant()).as().inject({ method: 'GET', url: '/v1/social/platforms' });
    const bluesky = res.json().items.find((p: { id: string }) => p.id === 'bluesky');
    assert.equal(bluesky.capabilities.text.unit, 'graphemes');
    assert.equal(bluesky.capabilities.text.maxLength, 300);
    assert.equal(bluesky.setup.required, undefined, 'the PDS may be left out');
    assert.deepEqual(bluesky.auth.fields.required, ['identifier', 'appPassword']);
  });
});
