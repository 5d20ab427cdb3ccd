import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ProblemError } from '@markettina/sdk';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { socialPublisher, type Publisher, type ScheduleRequest } from '../src/contracts.js';
import { socialPlugin } from '../src/plugin.js';
import { fixtureConnectorsPlugin, PAGEBOOK_CLIENT, startFakePagebook, type FakePagebook } from './fixtures/pagebook.js';
import { connectOAuth, REDIRECT_URI } from './helpers.js';

describe('socialPublisher: scheduling in the caller transaction', () => {
  let kit: TestKernel;
  let fake: FakePagebook;
  let publisher: Publisher;
  before(async () => {
    fake = await startFakePagebook();
    kit = await startTestKernel({
      plugins: [
        { definition: socialPlugin, config: { oauth: { redirectUri: REDIRECT_URI, clients: { pagebook: PAGEBOOK_CLIENT } }, network: { allowLoopback: true, allowPlainHttp: true } } },
        fixtureConnectorsPlugin(fake.origin),
      ],
      config: { jobs: { scheduler: false } },
    });
    publisher = kit.kernel.host.contextFor('social').get(socialPublisher);
  });
  after(async () => {
    await kit?.close();
    await fake?.close();
  });

  async function connectedPage() {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const { res } = await connectOAuth(caller, 'pagebook');
    const picked = await caller.inject({ method: 'POST', url: `/v1/social/accounts/${res.json().id}/channel`, payload: { channelId: 'p1' } });
    assert.equal(picked.statusCode, 200, picked.body);
    return { tenant, accountId: tenant.accountId, socialAccountId: picked.json().id as string };
  }

  const inTenant = <T>(accountId: string, fn: (trx: import('knex').Knex.Transaction) => Promise<T>) => kit.kernel.tenancy.withTenant(accountId, fn);
  const request = (socialAccountId: string, over: Partial<ScheduleRequest> = {}): ScheduleRequest => ({
    socialAccountId,
    draft: { text: 'Spring sale starts now' },
    dueAt: new Date(Date.now() + 3_600_000),
    timeZone: 'Europe/Rome',
    source: { plugin: 'content', id: 'post-1', version: 3 },
    campaignId: null,
    ...over,
  });
  async function problemOf(run: () => Promise<unknown>): Promise<ProblemError> {
    try {
      await run();
    } catch (err) {
      assert.ok(err instanceof ProblemError, `expected a problem, got ${String(err)}`);
      return err;
    }
    assert.fail('expected a problem');
  }

  test('schedule stores a scheduled publication that exists only if the caller commits', async () => {
    const { accountId, socialAccountId } = await connectedPage();
    const campaignId = '6f1c3a52-5a55-4a43-9d38-0c2b1c4b6d01';
    const view = await inTenant(accountId, (trx) => publisher.schedule(trx, request(socialAccountId, { campaignId })));
    assert.equal(view.status, 'scheduled');
    assert.equal(view.connector, 'pagebook');
    assert.equal(view.timeZone, 'Europe/Rome');
    assert.equal(view.campaignId, campaignId);
    assert.deepEqual(view.source, { plugin: 'content', id: 'post-1', version: 3 });
    assert.equal(view.attempts, 0);
    assert.equal(view.nextAttemptAt, view.dueAt);

    let rolledBack = '';
    await assert.rejects(
      inTenant(accountId, async (trx) => {
        rolledBack = (await publisher.schedule(trx, request(socialAccountId))).id;
        throw new Error('the caller changed its mind');
      }),
      /changed its mind/,
    );
    assert.equal(await inTenant(accountId, (trx) => publisher.get(trx, rolledBack)), undefined);
    const listed = await inTenant(accountId, (trx) => publisher.forSource(trx, { plugin: 'content', id: 'post-1' }));
    assert.deepEqual(listed.map((p) => p.id), [view.id]);
  });

  test('schedule refuses unknown accounts, accounts that cannot publish and drafts that do not fit', async () => {
    const { accountId, socialAccountId } = await connectedPage();
    const unknown = await problemOf(() => inTenant(accountId, (trx) => publisher.schedule(trx, request('00000000-0000-4000-8000-000000000000'))));
    assert.equal(unknown.status, 404);

    const tooLong = await problemOf(() => inTenant(accountId, (trx) => publisher.schedule(trx, request(socialAccountId, { draft: { text: 'x'.repeat(51), media: [{ blobKey: 'k', mimeType: 'image/png', sizeBytes: 10 }] } }))));
    assert.equal(tooLong.status, 422);
    assert.equal(tooLong.code, 'DRAFT_INVALID');
    assert.deepEqual((tooLong.extensions.errors as { code: string }[]).map((e) => e.code).sort(), ['MEDIA_UNSUPPORTED', 'TEXT_TOO_LONG']);

    const zone = await problemOf(() => inTenant(accountId, (trx) => publisher.schedule(trx, request(socialAccountId, { timeZone: 'Mars/Olympus' }))));
    assert.equal(zone.code, 'TIME_ZONE_INVALID');
    const late = await problemOf(() => inTenant(accountId, (trx) => publisher.schedule(trx, request(socialAccountId, { dueAt: new Date(Date.now() - 2 * 86_400_000) }))));
    assert.equal(late.code, 'DUE_AT_TOO_LATE');

    await inTenant(accountId, (trx) => trx('social_accounts').where({ id: socialAccountId }).update({ status: 'reconnect_required' }));
    const reconnect = await problemOf(() => inTenant(accountId, (trx) => publisher.schedule(trx, request(socialAccountId))));
    assert.equal(reconnect.status, 409);
    assert.equal(reconnect.code, 'RECONNECT_REQUIRED');
    await inTenant(accountId, (trx) => trx('social_accounts').where({ id: socialAccountId }).update({ status: 'disconnected' }));
    const gone = await problemOf(() => inTenant(accountId, (trx) => publisher.schedule(trx, request(socialAccountId))));
    assert.equal(gone.code, 'ACCOUNT_NOT_CONNECTED');
  });

  test('schedule refuses a connector whose plugin the tenant has not enabled', async () => {
    const { accountId, socialAccountId } = await connectedPage();
    await kit.kernel.accounts.setPluginState(accountId, 'fixture-connectors', { enabled: false });
    const problem = await problemOf(() => inTenant(accountId, (trx) => publisher.schedule(trx, request(socialAccountId))));
    assert.equal(problem.code, 'CONNECTOR_NOT_ENABLED');
  });

  test('reschedule and cancel act only on publications nobody has claimed', async () => {
    const { accountId, socialAccountId } = await connectedPage();
    const view = await inTenant(accountId, (trx) => publisher.schedule(trx, request(socialAccountId)));
    const later = new Date(Date.now() + 7_200_000);
    const moved = await inTenant(accountId, (trx) => publisher.reschedule(trx, view.id, later, 'America/New_York'));
    assert.equal(moved.dueAt, later.toISOString());
    assert.equal(moved.nextAttemptAt, later.toISOString());
    assert.equal(moved.timeZone, 'America/New_York');

    const cancelled = await inTenant(accountId, (trx) => publisher.cancel(trx, view.id));
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.nextAttemptAt, null);
    const twice = await problemOf(() => inTenant(accountId, (trx) => publisher.cancel(trx, view.id)));
    assert.equal(twice.status, 409);
    assert.equal(twice.code, 'PUBLICATION_NOT_SCHEDULED');
    const moveCancelled = await problemOf(() => inTenant(accountId, (trx) => publisher.reschedule(trx, view.id, later)));
    assert.equal(moveCancelled.code, 'PUBLICATION_NOT_SCHEDULED');

    const claimed = await inTenant(accountId, (trx) => publisher.schedule(trx, request(socialAccountId)));
    await inTenant(accountId, (trx) => trx('social_publications').where({ id: claimed.id }).update({ status: 'publishing' }));
    assert.equal((await problemOf(() => inTenant(accountId, (trx) => publisher.cancel(trx, claimed.id)))).code, 'PUBLICATION_NOT_SCHEDULED');

    const retrying = await inTenant(accountId, (trx) => publisher.schedule(trx, request(socialAccountId)));
    await inTenant(accountId, (trx) => trx('social_publications').where({ id: retrying.id }).update({ status: 'retrying' }));
    assert.equal((await problemOf(() => inTenant(accountId, (trx) => publisher.reschedule(trx, retrying.id, later)))).code, 'PUBLICATION_NOT_SCHEDULED');
    assert.equal((await inTenant(accountId, (trx) => publisher.cancel(trx, retrying.id))).status, 'cancelled', 'a retrying publication may still be withdrawn');

    const maybeLive = await inTenant(accountId, (trx) => publisher.schedule(trx, request(socialAccountId)));
    await inTenant(accountId, (trx) => trx('social_publications').where({ id: maybeLive.id }).update({ status: 'retrying', outcome_unknown: true }));
    assert.equal((await problemOf(() => inTenant(accountId, (trx) => publisher.cancel(trx, maybeLive.id)))).code, 'PUBLICATION_NOT_SCHEDULED', 'a publication an earlier attempt may have published stays');

    assert.equal((await problemOf(() => inTenant(accountId, (trx) => publisher.cancel(trx, '00000000-0000-4000-8000-000000000000')))).status, 404);
  });

  test('a tenant sees only its own publications', async () => {
    const a = await connectedPage();
    const b = await connectedPage();
    const view = await inTenant(a.accountId, (trx) => publisher.schedule(trx, request(a.socialAccountId)));
    assert.equal(await inTenant(b.accountId, (trx) => publisher.get(trx, view.id)), undefined);
    assert.equal((await problemOf(() => inTenant(b.accountId, (trx) => publisher.cancel(trx, view.id)))).status, 404);
    assert.equal((await problemOf(() => inTenant(b.accountId, (trx) => publisher.schedule(trx, request(a.socialAccountId))))).status, 404);
  });
});
