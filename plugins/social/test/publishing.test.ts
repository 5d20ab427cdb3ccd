import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { socialPlugin } from '../src/plugin.js';
import { publishDue, scriptedConnectorPlugin, socialTestConfig, startScriptedPlatform, type ScriptedPlatform } from '../src/testing/index.js';
import { publications, until } from './fixtures/publishing.js';

describe('publish pipeline: every outcome of a platform call', () => {
  let kit: TestKernel;
  let platform: ScriptedPlatform;
  let limited: ScriptedPlatform;
  let pub: ReturnType<typeof publications>;
  before(async () => {
    platform = await startScriptedPlatform();
    limited = await startScriptedPlatform({ rateLimit: { limit: 2, windowSeconds: 1 } });
    kit = await startTestKernel({
      plugins: [
        { definition: socialPlugin, config: socialTestConfig({ publishing: { maxAttempts: 2, retryBaseSeconds: 0.2, retryMaxSeconds: 0.5 } }) },
        scriptedConnectorPlugin({ origin: platform.origin }),
        scriptedConnectorPlugin({ origin: platform.origin, id: 'scripted-none', publishIdempotency: 'none' }),
        scriptedConnectorPlugin({ origin: limited.origin, id: 'scripted-limited', rateLimit: { limit: 2, windowSeconds: 1 } }),
      ],
      config: { jobs: { scheduler: false } },
    });
    pub = publications(kit);
  });
  after(async () => {
    await kit?.close();
    await platform?.close();
    await limited?.close();
  });

  const run = () => publishDue(kit.kernel);
  const settle = async <T extends { status: string }>(get: () => Promise<T>, status: string): Promise<T> =>
    until(`status ${status}`, async () => {
      await run();
      const view = await get();
      return view.status === status ? view : undefined;
    });

  test('a due publication is published once, with its platform id, URL and a PostPublished event', async () => {
    const a = await pub.account(platform, 'ada');
    const scheduled = await a.schedule({ draft: { text: 'First post', thread: [{ text: 'and a reply' }] }, campaignId: 'c0a80101-0000-4000-8000-000000000001', source: { plugin: 'content', id: 'p-1', version: 2 } });
    const future = await a.schedule({ dueAt: new Date(Date.now() + 3_600_000) });
    const results = await run();
    assert.equal(results.get(scheduled.id), 'published');
    assert.equal(results.has(future.id), false, 'not due yet');
    const view = await a.get(scheduled.id);
    assert.equal(view.status, 'published');
    assert.equal(view.attempts, 1);
    const post = platform.posts.find((p) => p.ref === scheduled.id)!;
    assert.equal(view.externalId, post.id);
    assert.equal(view.url, `https://scripted.example/ada/${post.id}`);
    assert.ok(view.publishedAt);
    assert.deepEqual([post.text, post.thread], ['First post', ['and a reply']]);
    assert.equal(platform.createdFor(scheduled.id), 1);
    const events = (await a.events()).filter((e) => e.type === 'social.PostPublished');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]!.data, {
      publicationId: scheduled.id,
      socialAccountId: a.socialAccountId,
      connector: 'scripted',
      source: { plugin: 'content', id: 'p-1', version: 2 },
      campaignId: 'c0a80101-0000-4000-8000-000000000001',
      externalId: post.id,
      url: view.url,
      publishedAt: view.publishedAt,
    });
    assert.equal((await run()).size, 0, 'nothing is claimed twice');
    assert.equal((await a.row(scheduled.id)).parts.length, 1);
  });

  test('media are read from the blob store at publish time and reach the platform byte for byte', async () => {
    const a = await pub.account(platform, 'mia');
    const bytes = new Uint8Array(Buffer.from('89504e470d0a1a0a' + 'ab'.repeat(300), 'hex'));
    const blob = await kit.kernel.blobs.put(a.tenant.accountId, bytes, { contentType: 'image/png' });
    const media = { blobKey: blob.key, mimeType: 'image/png', sizeBytes: blob.sizeBytes, altText: 'a square' };
    const p = await a.schedule({ draft: { text: 'with a picture', media: [media], thread: [{ text: 'same again', media: [media] }] } });
    await run();
    assert.equal((await a.get(p.id)).status, 'published');
    const post = platform.posts.find((x) => x.ref === p.id)!;
    assert.deepEqual(post.media, [{ mimeType: 'image/png', sizeBytes: bytes.length, sha256: blob.sha256 }]);

    const gone = await a.schedule({ draft: { text: 'picture deleted meanwhile', media: [media] } });
    await kit.kernel.blobs.delete(a.tenant.accountId, blob.key);
    await run();
    const failed = await a.get(gone.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failure?.code, 'MEDIA_MISSING');
    assert.equal(platform.createdFor(gone.id), 0);

    const other = await pub.account(platform, 'mox');
    const theirs = await kit.kernel.blobs.put(other.tenant.accountId, bytes, { contentType: 'image/png' });
    const borrowed = await a.schedule({ draft: { text: 'another tenant picture', media: [{ ...media, blobKey: theirs.key }] } });
    await run();
    assert.equal((await a.get(borrowed.id)).failure?.code, 'MEDIA_MISSING', 'a blob key of another tenant finds nothing');
  });

  test('pending: polled with checkStatus until live, then finalised', async () => {
    const a = await pub.account(platform, 'pia');
    const p = await a.schedule();
    platform.scriptPost(p.id, { kind: 'pending', polls: 2 });
    await run();
    const pending = await a.get(p.id);
    assert.equal(pending.status, 'pending');
    assert.ok(pending.nextAttemptAt);
    const live = await settle(() => a.get(p.id), 'published');
    assert.equal(live.externalId, platform.posts.find((x) => x.ref === p.id)!.id);
    assert.equal(platform.createdFor(p.id), 1);
  });

  test('pending that the platform fails while processing ends failed with its reason', async () => {
    const a = await pub.account(platform, 'pam');
    const p = await a.schedule();
    platform.scriptPost(p.id, { kind: 'pending', polls: 1, then: 'failed' });
    const failed = await settle(() => a.get(p.id), 'failed');
    assert.deepEqual(failed.failure, { code: 'PROCESSING_FAILED', reason: 'processing failed' });
  });

  test('a platform 429 puts it back at retry-after without counting an attempt', async () => {
    const a = await pub.account(platform, 'rae');
    const p = await a.schedule();
    platform.scriptPost(p.id, { kind: 'rate-limited', retryAfterSeconds: 1 });
    const started = Date.now();
    await run();
    const waiting = await a.get(p.id);
    assert.equal(waiting.status, 'retrying');
    assert.equal(waiting.attempts, 0);
    assert.ok(Date.parse(waiting.nextAttemptAt!) >= started + 900, `next attempt ${waiting.nextAttemptAt} is not a second later`);
    const done = await settle(() => a.get(p.id), 'published');
    assert.equal(done.attempts, 1);
  });

  test("the declared per-account budget holds publishes back before they are sent, without counting attempts", async () => {
    const a = await pub.account(limited, 'lim', 'scripted-limited');
    const ids = await Promise.all(Array.from({ length: 5 }, (_, i) => a.schedule({ draft: { text: `burst ${i}` } }).then((p) => p.id)));
    await run();
    const first = await Promise.all(ids.map((id) => a.get(id)));
    assert.equal(first.filter((p) => p.status === 'published').length, 2, 'the burst the budget allows');
    const waiting = first.filter((p) => p.status === 'retrying');
    assert.ok(waiting.every((p) => p.attempts === 0 && p.failure?.code === 'RATE_LIMITED'));
    const wakes = waiting.map((p) => Date.parse(p.nextAttemptAt!)).sort((x, y) => x - y);
    for (let i = 1; i < wakes.length; i++) assert.ok(wakes[i]! - wakes[i - 1]! >= 450, `held-back posts line up half a second apart, not all at once: ${wakes.join(', ')}`);
    await until('every burst post published', async () => {
      await run();
      const all = await Promise.all(ids.map((id) => a.get(id)));
      return all.every((p) => p.status === 'published') ? all : undefined;
    });
    assert.equal(limited.overLimit, 0, 'the platform never saw more than its limit');
    assert.equal(limited.duplicates(), 0);
  });

  test('refused credentials are refreshed once and the publish goes through', async () => {
    const a = await pub.account(platform, 'rex');
    const p = await a.schedule();
    const refreshes = platform.refreshes;
    platform.scriptPost(p.id, { kind: 'unauthorized' });
    await run();
    assert.equal((await a.get(p.id)).status, 'published');
    assert.equal(platform.refreshes, refreshes + 1);
    assert.equal(platform.createdFor(p.id), 1);
  });

  test('credentials that cannot be refreshed: the account needs reconnecting and the publication fails', async () => {
    const a = await pub.account(platform, 'rod');
    const p = await a.schedule();
    platform.scriptPost(p.id, { kind: 'revoked' });
    await run();
    const failed = await a.get(p.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.failure?.code, 'RECONNECT_REQUIRED');
    const account = await a.inTenant((trx) => trx('social_accounts').where({ id: a.socialAccountId }).first());
    assert.equal(account.status, 'reconnect_required');
    const types = (await a.events()).map((e) => e.type);
    assert.ok(types.includes('social.token.expired'));
    assert.ok(types.includes('social.PostFailed'));
    await assert.rejects(a.schedule(), { code: 'RECONNECT_REQUIRED' }, 'nothing more is scheduled on it');
  });

  test('transient failures are retried with backoff, then fail for good after the last attempt', async () => {
    const a = await pub.account(platform, 'tia');
    const recovered = await a.schedule();
    platform.scriptPost(recovered.id, { kind: 'unavailable' });
    await run();
    const retrying = await a.get(recovered.id);
    assert.equal(retrying.status, 'retrying');
    assert.equal(retrying.attempts, 1);
    assert.equal((await settle(() => a.get(recovered.id), 'published')).attempts, 2);

    const doomed = await a.schedule();
    platform.scriptPost(doomed.id, { kind: 'unavailable' }, { kind: 'unavailable' });
    const failed = await settle(() => a.get(doomed.id), 'failed');
    assert.equal(failed.failure?.code, 'RETRIES_EXHAUSTED');
    assert.equal(failed.attempts, 2);
    assert.equal(platform.createdFor(doomed.id), 0);
    const event = (await a.events()).find((e) => e.type === 'social.PostFailed' && e.data.publicationId === doomed.id);
    assert.equal(event?.data.code, 'RETRIES_EXHAUSTED');
  });

  test('content the platform rejects fails with its reason and PostFailed', async () => {
    const a = await pub.account(platform, 'rue');
    const p = await a.schedule();
    platform.scriptPost(p.id, { kind: 'reject', reason: 'links to this site are not allowed' });
    await run();
    const failed = await a.get(p.id);
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.failure, { code: 'CONTENT_REJECTED', reason: 'links to this site are not allowed' });
    const event = (await a.events()).find((e) => e.type === 'social.PostFailed');
    assert.deepEqual([event?.data.code, event?.data.reason], ['CONTENT_REJECTED', 'links to this site are not allowed']);
  });

  test('a lost answer is settled by publishing again with the same key where the platform dedupes', async () => {
    const a = await pub.account(platform, 'uma');
    const p = await a.schedule();
    platform.scriptPost(p.id, { kind: 'lose-response' });
    await run();
    const retrying = await a.row(p.id);
    assert.equal(retrying.status, 'retrying');
    assert.equal(retrying.outcome_unknown, true);
    assert.equal(platform.createdFor(p.id), 1, 'the platform did create it');
    const done = await settle(() => a.get(p.id), 'published');
    assert.equal(done.externalId, platform.posts.find((x) => x.ref === p.id)!.id);
    assert.equal(platform.createdFor(p.id), 1, 'and only once');
    assert.equal((await a.row(p.id)).outcome_unknown, false);
  });

  test('a lost answer where the platform does not dedupe is left unconfirmed, never sent again', async () => {
    const a = await pub.account(platform, 'ned', 'scripted-none');
    const p = await a.schedule();
    platform.scriptPost(p.id, { kind: 'lose-response' });
    await run();
    const view = await a.get(p.id);
    assert.equal(view.status, 'unconfirmed');
    assert.equal(view.failure?.code, 'OUTCOME_UNKNOWN');
    await run();
    assert.equal(platform.createdFor(p.id), 1);
    const event = (await a.events()).find((e) => e.type === 'social.PostUnconfirmed');
    assert.equal(event?.data.publicationId, p.id);
  });

  test('a publication far past its due time fails TOO_LATE without calling the platform', async () => {
    const a = await pub.account(platform, 'lou');
    const p = await a.schedule();
    await a.update(p.id, { due_at: new Date(Date.now() - 2 * 86_400_000) });
    await run();
    const view = await a.get(p.id);
    assert.equal(view.status, 'failed');
    assert.equal(view.failure?.code, 'TOO_LATE');
    assert.equal(platform.createdFor(p.id), 0);
  });

  test('cancelled publications and tenants without the social plugin are never claimed', async () => {
    const a = await pub.account(platform, 'cid');
    const cancelled = await a.schedule();
    await a.inTenant((trx) => pub.publisher.cancel(trx, cancelled.id));
    const b = await pub.account(platform, 'bea');
    const paused = await b.schedule();
    await kit.kernel.accounts.setPluginState(b.tenant.accountId, 'social', { enabled: false });
    const results = await run();
    assert.equal(results.has(cancelled.id), false);
    assert.equal(results.has(paused.id), false);
    assert.equal((await b.row(paused.id)).status, 'scheduled');
    await kit.kernel.accounts.setPluginState(b.tenant.accountId, 'social', { enabled: true });
    assert.equal((await run()).get(paused.id), 'published');
  });

  test('a disconnected account fails its due publications with ACCOUNT_NOT_CONNECTED', async () => {
    const a = await pub.account(platform, 'dee');
    const p = await a.schedule();
    await a.caller.inject({ method: 'DELETE', url: `/v1/social/accounts/${a.socialAccountId}` });
    await run();
    assert.equal((await a.get(p.id)).failure?.code, 'ACCOUNT_NOT_CONNECTED');
  });
});
