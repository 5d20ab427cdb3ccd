import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestKernel, type TestKernel, type TestPrincipal } from '@markettina/sdk/testing';
import socialPlugin from '@markettina/plugin-social';
import { wordpressPlugin } from '../src/plugin.js';
import { startFakeWordPress, WP_USER, type FakeWordPress } from './fake-wordpress.js';

const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const FIELDS = { username: WP_USER.login, applicationPassword: WP_USER.applicationPassword };

describe('WordPress end to end through the social REST API', () => {
  let kit: TestKernel;
  let fake: FakeWordPress;
  let folderSite: FakeWordPress;
  before(async () => {
    fake = await startFakeWordPress();
    folderSite = await startFakeWordPress({ folder: '/blog', trash: false });
    kit = await startTestKernel({
      plugins: [
        // Loopback and plain http are allowed only because the fake sites listen on 127.0.0.1.
        { definition: socialPlugin, config: { network: { allowLoopback: true, allowPlainHttp: true }, timeouts: { connectMs: 1_000, responseMs: 1_500 } } },
        wordpressPlugin,
      ],
      config: { jobs: { scheduler: false } },
    });
  });
  after(async () => {
    await kit?.close();
    await fake?.close();
    await folderSite?.close();
  });

  const connectTo = (caller: TestPrincipal, site: string, fields: Record<string, string> = FIELDS) =>
    caller.inject({ method: 'POST', url: '/v1/social/connections/credentials', payload: { connector: 'wordpress', setup: { site }, fields } });
  async function connect(caller: TestPrincipal, site = fake.site) {
    const res = await connectTo(caller, site);
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }
  const publish = (caller: TestPrincipal, socialAccountId: string, draft: object, key?: string) =>
    caller.inject({ method: 'POST', url: '/v1/social/posts', payload: { socialAccountId, draft }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
  const check = async (caller: TestPrincipal, id: string) => (await caller.inject({ method: 'GET', url: `/v1/social/posts/${id}` })).json();
  const sitePost = (externalId: string) => fake.posts.get(Number(externalId))!;
  const termNames = (ids: number[]) => ids.map((id) => fake.terms.get(id)!.name);

  test('connect with an application password, publish an article, check status, read metrics, delete', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const account = await connect(caller);
    assert.equal(account.status, 'connected');
    assert.equal(account.externalId, `${fake.user.id}@${new URL(fake.site).host}`);
    assert.equal(account.handle, WP_USER.login);

    const draft = { text: 'We shipped the editor.\n\nFish & chips for everyone.', article: { title: 'Launch day', excerpt: 'It is out.', tags: ['Launch', 'AI'], categories: ['News'] } };
    const res = await publish(caller, account.id, draft, 'launch-1');
    assert.equal(res.statusCode, 201, res.body);
    const post = res.json();
    assert.equal(post.status, 'published');
    const onSite = sitePost(post.externalId);
    assert.equal(onSite.title, 'Launch day');
    assert.equal(onSite.excerpt, 'It is out.');
    assert.equal(onSite.content, '<!-- wp:paragraph -->\n<p>We shipped the editor.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>Fish &amp; chips for everyone.</p>\n<!-- /wp:paragraph -->');
    assert.deepEqual(termNames(onSite.tags), ['Launch', 'AI']);
    assert.deepEqual(termNames(onSite.categories), ['News']);
    assert.match(onSite.slug, /^launch-day-[0-9a-f]{12}$/);
    assert.equal(post.url, `${fake.site}/${onSite.slug}/`);

    const count = fake.posts.size;
    const replay = await publish(caller, account.id, draft, 'launch-1');
    assert.deepEqual(replay.json(), post, 'a retried request replays the stored answer');
    assert.equal(fake.posts.size, count, 'and posts nothing');

    assert.equal((await check(caller, post.id)).status, 'published');
    fake.addComments(onSite.id, 3);
    const metrics = await caller.inject({ method: 'GET', url: `/v1/social/posts/${post.id}/metrics` });
    assert.equal(metrics.statusCode, 200, metrics.body);
    assert.deepEqual(metrics.json().metrics, { comments: 3 });

    const deleted = await caller.inject({ method: 'DELETE', url: `/v1/social/posts/${post.id}` });
    assert.equal(deleted.json().status, 'deleted');
    assert.equal(onSite.status, 'trash', 'into the trash, where it can be restored');

    const sealed = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('social_accounts').where({ id: account.id }).first('credentials_sealed'));
    assert.ok(!sealed.credentials_sealed.includes(WP_USER.applicationPassword.replace(/ /g, '').slice(0, 8)), 'the application password is readable at SQL level');
  });

  test('wrong passwords, users who may not write, other sites and private addresses are refused when connecting', async () => {
    const caller = (await kit.createTenant()).as();
    const wrong = await connectTo(caller, fake.site, { ...FIELDS, applicationPassword: 'nope nope nope nope nope nope' });
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().code, 'CREDENTIALS_REFUSED');
    assert.match(wrong.json().detail, /invalid application password/);

    fake.setRole('subscriber');
    try {
      const reader = await connectTo(caller, fake.site);
      assert.equal(reader.json().code, 'CREDENTIALS_REFUSED');
      assert.match(reader.json().detail, /may not write posts/);
    } finally {
      fake.setRole('editor');
    }

    const notWordPress = await connectTo(caller, `${fake.origin}/not-a-blog`);
    assert.equal(notWordPress.json().code, 'CREDENTIALS_REFUSED');
    assert.match(notWordPress.json().detail, /no WordPress REST API/);

    for (const site of ['http://10.1.2.3', 'http://169.254.169.254/latest', 'http://[fd00::1]']) {
      const refused = await connectTo(caller, site);
      assert.equal(refused.statusCode, 422, site);
      assert.equal(refused.json().code, 'ORIGIN_NOT_ALLOWED', site);
    }
  });

  test('an image becomes the featured image, with its alt text', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const res = await publish(caller, account.id, { text: 'A dot', media: [{ mimeType: 'image/png', data: PNG_1X1, altText: 'a single dot', fileName: 'dot.png' }] });
    assert.equal(res.json().status, 'published', res.body);
    const media = fake.attachments.get(sitePost(res.json().externalId).featuredMedia)!;
    assert.deepEqual({ fileName: media.fileName, mimeType: media.mimeType, altText: media.altText, bytes: media.bytes }, { fileName: 'dot.png', mimeType: 'image/png', altText: 'a single dot', bytes: 70 });
  });

  test('scheduled articles and drafts stay pending until WordPress publishes them', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const at = new Date(Date.now() + 86_400_000);
    const scheduled = (await publish(caller, account.id, { text: 'Tomorrow', article: { publishAt: at.toISOString() } })).json();
    assert.equal(scheduled.status, 'pending');
    const [onSite] = [...fake.posts.values()].filter((p) => p.title === 'Tomorrow');
    assert.equal(onSite!.status, 'future');
    assert.equal(onSite!.dateGmt.toISOString().slice(0, 19), at.toISOString().slice(0, 19));
    assert.equal((await check(caller, scheduled.id)).status, 'pending');
    fake.runCron(new Date(at.getTime() + 60_000));
    const live = await check(caller, scheduled.id);
    assert.equal(live.status, 'published');
    assert.equal(live.externalId, String(onSite!.id));

    const draft = (await publish(caller, account.id, { text: 'Someone finishes this in wp-admin', article: { status: 'draft' } })).json();
    assert.equal(draft.status, 'pending');
    assert.equal([...fake.posts.values()].find((p) => p.title === 'Someone finishes this in wp-admin')?.status, 'draft');
  });

  test('a publish whose answer was lost is found again by its slug, not published twice', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    fake.loseNextCreatedAnswer();
    const res = await publish(caller, account.id, { text: 'Did it post?' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'unconfirmed');
    assert.equal([...fake.posts.values()].filter((p) => p.title === 'Did it post?').length, 1, 'WordPress did create it');
    const settled = await check(caller, res.json().id);
    assert.equal(settled.status, 'published');
    const posts = [...fake.posts.values()].filter((p) => p.title === 'Did it post?');
    assert.equal(posts.length, 1, 'and it was not created again');
    assert.equal(settled.externalId, String(posts[0]!.id));
  });

  test('existing labels are reused, names WordPress keeps escaped included; an author may not create new ones', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller);
    const rd = fake.addTerm('tags', 'R&D');
    const terms = fake.terms.size;
    const res = (await publish(caller, account.id, { text: 'Lab notes', article: { tags: ['r&d'], categories: ['uncategorized'] } })).json();
    assert.deepEqual(sitePost(res.externalId).tags, [rd]);
    assert.deepEqual(sitePost(res.externalId).categories, [1]);
    assert.equal(fake.terms.size, terms, 'no term was created');

    fake.setRole('author');
    try {
      const refused = await publish(caller, account.id, { text: 'Brand new', article: { tags: ['Never seen before'] } });
      assert.equal(refused.statusCode, 201, refused.body);
      assert.equal(refused.json().status, 'failed');
      assert.match(refused.json().failure.reason, /not allowed to create terms/);
    } finally {
      fake.setRole('editor');
    }
  });

  test('a site in a folder and without a trash: published under the folder, deleted for good', async () => {
    const caller = (await kit.createTenant()).as();
    const account = await connect(caller, folderSite.site);
    assert.equal(account.externalId, `${folderSite.user.id}@${new URL(folderSite.origin).host}/blog`);
    const post = (await publish(caller, account.id, { text: 'From the folder' })).json();
    assert.equal(post.status, 'published');
    assert.ok(post.url.startsWith(`${folderSite.origin}/blog/`));
    assert.equal((await caller.inject({ method: 'DELETE', url: `/v1/social/posts/${post.id}` })).json().status, 'deleted');
    assert.equal(folderSite.posts.has(Number(post.externalId)), false);
  });

  test('refusals reach the client: rate limits, a role that may not publish, and a revoked password that needs a reconnect', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const account = await connect(caller);
    fake.failNext({ kind: 'rate-limited', resetInSeconds: 30 }, { unsafeOnly: true });
    const limited = await publish(caller, account.id, { text: 'Too soon' });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().code, 'PLATFORM_RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) >= 25);

    fake.setRole('contributor');
    try {
      const contributor = await publish(caller, account.id, { text: 'Not mine to publish' });
      assert.equal(contributor.statusCode, 409);
      assert.equal(contributor.json().code, 'RECONNECT_REQUIRED');
      assert.match(contributor.json().detail, /may not publish posts/);
      const demoted = (await caller.inject({ method: 'GET', url: `/v1/social/accounts/${account.id}` })).json();
      assert.equal(demoted.status, 'reconnect_required', 'a reconnect-required answer marks the account at once');
    } finally {
      fake.setRole('editor');
    }

    const reconnected = await connect(caller);
    assert.equal(reconnected.status, 'connected');
    fake.revokeAll();
    const revoked = await publish(caller, reconnected.id, { text: 'No password' });
    assert.equal(revoked.statusCode, 409);
    assert.equal(revoked.json().code, 'RECONNECT_REQUIRED');
    const row = (await caller.inject({ method: 'GET', url: `/v1/social/accounts/${reconnected.id}` })).json();
    assert.equal(row.status, 'reconnect_required');
    const events = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('domain_events').select('type').orderBy('occurred_at'));
    assert.deepEqual(events.map((e: { type: string }) => e.type), ['social.account.connected', 'social.token.expired', 'social.account.connected', 'social.token.expired']);
  });
});
