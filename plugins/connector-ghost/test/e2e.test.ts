import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestKernel, type TestKernel, type TestPrincipal } from '@markettina/sdk/testing';
import socialPlugin from '@markettina/plugin-social';
import { ghostPlugin } from '../src/plugin.js';
import { GHOST_ADMIN_KEY, startFakeGhost, type FakeGhost } from './fake-ghost.js';

const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const SECRET = GHOST_ADMIN_KEY.split(':')[1]!;

describe('Ghost end to end through the social REST API', () => {
  let kit: TestKernel;
  let fake: FakeGhost;
  let folderSite: FakeGhost;
  before(async () => {
    fake = await startFakeGhost();
    folderSite = await startFakeGhost({ folder: '/blog' });
    kit = await startTestKernel({
      plugins: [
        // Loopback and plain http are allowed only because the fake sites listen on 127.0.0.1.
        { definition: socialPlugin, config: { network: { allowLoopback: true, allowPlainHttp: true }, timeouts: { connectMs: 1_000, responseMs: 1_500 } } },
        ghostPlugin,
      ],
      config: { jobs: { scheduler: false } },
    });
  });
  after(async () => {
    await kit?.close();
    await fake?.close();
    await folderSite?.close();
  });

  const connectTo = (caller: TestPrincipal, apiUrl: string, adminApiKey = GHOST_ADMIN_KEY) =>
    caller.inject({ method: 'POST', url: '/v1/social/connections/credentials', payload: { connector: 'ghost', setup: { apiUrl }, fields: { adminApiKey } } });
  async function connect(caller: TestPrincipal, apiUrl = fake.site) {
    const res = await connectTo(caller, apiUrl);
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }
  const publish = (caller: TestPrincipal, socialAccountId: string, draft: object, key?: string) =>
    caller.inject({ method: 'POST', url: '/v1/social/posts', payload: { socialAccountId, draft }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
  const check = async (caller: TestPrincipal, id: string) => (await caller.inject({ method: 'GET', url: `/v1/social/posts/${id}` })).json();
  const titled = (title: string) => [...fake.posts.values()].filter((p) => p.title === title);

  test('connect with an Admin API key, publish an article, check status, read metrics, delete', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const seen = fake.requests.length;
    const account = await connect(caller);
    assert.equal(account.status, 'connected');
    assert.equal(account.externalId, new URL(fake.site).host);
    assert.equal(account.displayName, fake.title);

    const draft = { text: 'We shipped the editor.\n\nFish & chips for everyone.', article: { title: 'Launch day', excerpt: 'It is out.', tags: ['Launch', 'AI'] } };
    const res = await publish(caller, account.id, draft, 'launch-1');
    assert.equal(res.statusCode, 201, res.body);
    const post = res.json();
    assert.equal(post.status, 'published');
    const onSite = fake.posts.get(post.externalId)!;
    assert.equal(onSite.title, 'Launch day');
    assert.equal(onSite.customExcerpt, 'It is out.');
    assert.equal(onSite.html, '<p>We shipped the editor.</p><p>Fish &amp; chips for everyone.</p>', 'sent as Lexical');
    assert.deepEqual(onSite.tags, ['launch', 'ai']);
    assert.match(onSite.slug, /^launch-day-[0-9a-f]{12}$/);
    assert.equal(post.url, `${fake.site}/${onSite.slug}/`);
    const admin = fake.requests.slice(seen).filter((r) => r.path.startsWith('/ghost/api/admin/') && r.path !== '/ghost/api/admin/site/');
    assert.ok(admin.length >= 3);
    for (const r of admin) {
      assert.equal(r.headers['accept-version'], 'v5.0');
      assert.match(String(r.headers.authorization), /^Ghost [\w-]+\.[\w-]+\.[\w-]+$/);
    }

    const count = fake.posts.size;
    const replay = await publish(caller, account.id, draft, 'launch-1');
    assert.deepEqual(replay.json(), post, 'a retried request replays the stored answer');
    assert.equal(fake.posts.size, count, 'and posts nothing');

    assert.equal((await check(caller, post.id)).status, 'published');
    fake.setClicks(onSite.id, 4);
    const metrics = await caller.inject({ method: 'GET', url: `/v1/social/posts/${post.id}/metrics` });
    assert.equal(metrics.statusCode, 200, metrics.body);
    assert.deepEqual(metrics.json().metrics, { clicks: 4 });

    const deleted = await caller.inject({ method: 'DELETE', url: `/v1/social/posts/${post.id}` });
    assert.equal(deleted.json().status, 'deleted');
    assert.equal(fake.posts.has(onSite.id), false);

    const sealed = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('social_accounts').where({ id: account.id }).first('credentials_sealed'));
    assert.ok(!sealed.credentials_sealed.includes(SECRET.slice(0, 16)), 'the Admin API key is readable at SQL level');
  });

  test('an HTML body is converted by Ghost (?source=html), and an image becomes the feature image with its alt text', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const res = await publish(caller, account.id, { text: '<h2>Hello</h2><p>An <em>HTML</em> body</p>', article: { title: 'In HTML', format: 'html' }, media: [{ mimeType: 'image/png', data: PNG_1X1, altText: 'a single dot', fileName: 'dot.png' }] });
    assert.equal(res.json().status, 'published', res.body);
    const [onSite] = titled('In HTML');
    assert.equal(onSite!.html, '<h2>Hello</h2><p>An <em>HTML</em> body</p>');
    assert.equal(onSite!.featureImageAlt, 'a single dot');
    assert.deepEqual(fake.images.get(onSite!.featureImage!), { type: 'image/png', bytes: 70 });
  });

  test('scheduled articles and drafts stay pending until Ghost publishes them; a time too near publishes now', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const at = new Date(Date.now() + 86_400_000);
    const scheduled = (await publish(caller, account.id, { text: 'Tomorrow', article: { publishAt: at.toISOString() } })).json();
    assert.equal(scheduled.status, 'pending');
    const [onSite] = titled('Tomorrow');
    assert.equal(onSite!.status, 'scheduled');
    assert.equal(onSite!.publishedAt!.getTime(), Math.floor(at.getTime()));
    assert.equal((await check(caller, scheduled.id)).status, 'pending');
    fake.publishDue(new Date(at.getTime() + 60_000));
    const live = await check(caller, scheduled.id);
    assert.equal(live.status, 'published');
    assert.equal(live.externalId, onSite!.id);

    const soon = (await publish(caller, account.id, { text: 'In a minute', article: { publishAt: new Date(Date.now() + 60_000).toISOString() } })).json();
    assert.equal(soon.status, 'published', 'Ghost schedules two minutes ahead at least; sooner goes out now');

    const draft = (await publish(caller, account.id, { text: 'Someone finishes this in Ghost', article: { status: 'draft' } })).json();
    assert.equal(draft.status, 'pending');
    assert.equal(titled('Someone finishes this in Ghost')[0]?.status, 'draft');
  });

  test('a publish whose answer was lost is found again by its slug, not published twice', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    fake.loseNextCreatedAnswer();
    const res = await publish(caller, account.id, { text: 'Did it post?' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'unconfirmed');
    assert.equal(titled('Did it post?').length, 1, 'Ghost did create it');
    const settled = await check(caller, res.json().id);
    assert.equal(settled.status, 'published');
    assert.equal(titled('Did it post?').length, 1, 'and it was not created again');
    assert.equal(settled.externalId, titled('Did it post?')[0]!.id);
  });

  test('wrong and malformed keys, other sites and private addresses are refused when connecting', async () => {
    const caller = (await kit.createTenant()).as();
    const wrong = await connectTo(caller, fake.site, `${GHOST_ADMIN_KEY.split(':')[0]}:${'ab'.repeat(32)}`);
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().code, 'CREDENTIALS_REFUSED');
    assert.match(wrong.json().detail, /invalid signature/);

    const malformed = await connectTo(caller, fake.site, 'not-a-key');
    assert.equal(malformed.json().code, 'FIELDS_INVALID');

    const notGhost = await connectTo(caller, `${fake.origin}/somewhere-else`);
    assert.equal(notGhost.json().code, 'CREDENTIALS_REFUSED');
    assert.match(notGhost.json().detail, /no Ghost Admin API/);

    for (const apiUrl of ['http://192.168.1.10', 'http://169.254.169.254', 'http://[::ffff:10.0.0.1]']) {
      const refused = await connectTo(caller, apiUrl);
      assert.equal(refused.statusCode, 422, apiUrl);
      assert.equal(refused.json().code, 'ORIGIN_NOT_ALLOWED', apiUrl);
    }
  });

  test('a site in a folder: connected, published and deleted under its folder', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller, folderSite.site);
    assert.equal(account.externalId, `${new URL(folderSite.origin).host}/blog`);
    const post = (await publish(caller, account.id, { text: 'From the folder' })).json();
    assert.equal(post.status, 'published');
    assert.ok(post.url.startsWith(`${folderSite.origin}/blog/`));
    assert.equal((await caller.inject({ method: 'DELETE', url: `/v1/social/posts/${post.id}` })).json().status, 'deleted');
    assert.equal(folderSite.posts.size, 0);
  });

  test('rate limits reach the client, and a revoked key needs a reconnect, found by a health check too', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const account = await connect(caller);
    fake.failNext({ kind: 'rate-limited', resetInSeconds: 30 }, { unsafeOnly: true });
    const limited = await publish(caller, account.id, { text: 'Too soon' });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().code, 'PLATFORM_RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) >= 25);

    const otherCaller = (await kit.createTenant()).as();
    const other = await connect(otherCaller);
    fake.revokeKey();
    const revoked = await publish(caller, account.id, { text: 'No key' });
    assert.equal(revoked.statusCode, 409);
    assert.equal(revoked.json().code, 'RECONNECT_REQUIRED');
    assert.equal((await caller.inject({ method: 'GET', url: `/v1/social/accounts/${account.id}` })).json().status, 'reconnect_required');
    const events = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('domain_events').select('type').orderBy('occurred_at'));
    assert.deepEqual(events.map((e: { type: string }) => e.type), ['social.account.connected', 'social.token.expired']);

    // /site/ answers anyone; the health check still asks with the key, so it notices.
    const checked = await otherCaller.inject({ method: 'POST', url: `/v1/social/accounts/${other.id}/check` });
    assert.equal(checked.statusCode, 200, checked.body);
    assert.equal(checked.json().status, 'reconnect_required');
  });
});
