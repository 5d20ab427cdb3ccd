import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { POST_EVENTS } from '../src/contracts.js';
import { assertProblem, createCampaign, eventsOf, setContentSettings } from './fixtures/kit.js';
import { blobKeyOf, upload } from './fixtures/media.js';
import { MEDIA_FILES } from './fixtures/media-files.js';
import { createPost, POSTS, review, type Post } from './fixtures/posts.js';
import { publicationsOf, scheduleUrl, useScheduleKit } from './fixtures/schedule.js';

const LATER = { at: '2027-03-28T02:30', timeZone: 'Europe/Rome' };

describe('scheduling posts through the social publisher', () => {
  const s = useScheduleKit();
  const { owner } = s;
  const schedule = (postId: string, body: Record<string, unknown>) => owner().inject({ method: 'POST', url: scheduleUrl(postId), payload: body });
  const getPost = async (id: string) => (await owner().inject({ method: 'GET', url: `${POSTS}/${id}` })).json() as Post;

  test('each target gets its platform\'s variant, at a local time read in the zone (a skipped hour moves forward)', async () => {
    const post = await createPost(owner(), { text: 'The long base text', variants: { 'scripted-b': { text: 'Short for B' } } });
    const res = await schedule(post.id, { targets: [{ socialAccountId: s.ada }, { socialAccountId: s.bea }], ...LATER });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.deepEqual([body.dueAt, body.timeZone, body.localTime, body.resolution], ['2027-03-28T01:30:00.000Z', 'Europe/Rome', '2027-03-28T03:30:00', 'gap']);
    assert.deepEqual(
      body.schedules.map((r: { socialAccountId: string; platform: string; status: string; version: number }) => [r.socialAccountId, r.platform, r.status, r.version]),
      [
        [s.ada, 'scripted', 'scheduled', 1],
        [s.bea, 'scripted-b', 'scheduled', 1],
      ],
    );
    const pubs = await publicationsOf(s.kit, s.tenant.accountId, post.id);
    assert.deepEqual(
      pubs.map((p) => [p.social_account_id, p.draft.text, p.due_at.toISOString(), p.time_zone, p.status]),
      [
        [s.ada, 'The long base text', '2027-03-28T01:30:00.000Z', 'Europe/Rome', 'scheduled'],
        [s.bea, 'Short for B', '2027-03-28T01:30:00.000Z', 'Europe/Rome', 'scheduled'],
      ],
    );
    assert.deepEqual(body.schedules.map((r: { publicationId: string }) => r.publicationId), pubs.map((p) => p.id));
    assert.equal((await getPost(post.id)).deliveryStatus, 'scheduled');
    const listed = await owner().inject({ method: 'GET', url: scheduleUrl(post.id) });
    assert.deepEqual(listed.json().items.map((r: { id: string }) => r.id), body.schedules.map((r: { id: string }) => r.id));
    const [event] = (await eventsOf(s.kit, s.tenant.accountId, POST_EVENTS.postScheduled)).filter((e) => e.postId === post.id);
    assert.deepEqual(event, {
      postId: post.id,
      version: 1,
      campaignId: null,
      dueAt: '2027-03-28T01:30:00.000Z',
      timeZone: 'Europe/Rome',
      rescheduled: false,
      targets: body.schedules.map((r: { id: string; socialAccountId: string; publicationId: string; platform: string }) => ({ scheduleId: r.id, socialAccountId: r.socialAccountId, publicationId: r.publicationId, connector: r.platform })),
    });
  });

  test('an instant with an offset, media by blob key, the campaign passed along', async () => {
    const owner_ = owner();
    const asset = await upload(owner_, MEDIA_FILES.jpeg.bytes, MEDIA_FILES.jpeg.type, { fileName: 'cup.jpg' });
    const campaignId = await createCampaign(owner_, 'Cups');
    const post = await createPost(owner_, { text: 'A cup', media: [{ assetId: asset.id, altText: 'Blue cup' }], campaignId });
    const res = await schedule(post.id, { targets: [{ socialAccountId: s.ada }], at: '2027-06-01T09:00:00-04:00' });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual([res.json().dueAt, res.json().timeZone, res.json().resolution], ['2027-06-01T13:00:00.000Z', null, 'instant']);
    const [pub] = await publicationsOf(s.kit, s.tenant.accountId, post.id);
    assert.deepEqual(pub!.draft.media, [{ blobKey: await blobKeyOf(s.kit, s.tenant.accountId, asset.id), mimeType: 'image/jpeg', sizeBytes: MEDIA_FILES.jpeg.bytes.length, fileName: 'cup.jpg', altText: 'Blue cup' }]);
    const view = await s.kit.kernel.tenancy.withTenant(s.tenant.accountId, (db) => db('social_publications').where({ id: pub!.id }).first('campaign_id'));
    assert.equal(view.campaign_id, campaignId);
  });

  test('a scheduled post cannot change (409 POST_SCHEDULED) until it is unscheduled', async () => {
    const post = await createPost(owner(), { text: 'Locked in' });
    assert.equal((await schedule(post.id, { targets: [{ socialAccountId: s.ada }, { socialAccountId: s.bea }], ...LATER })).statusCode, 201);
    for (const req of [
      { method: 'PATCH' as const, url: `${POSTS}/${post.id}`, payload: { text: 'changed' } },
      { method: 'PATCH' as const, url: `${POSTS}/${post.id}`, payload: { campaignId: null, title: 'x' } },
      { method: 'PUT' as const, url: `${POSTS}/${post.id}/variants/scripted`, payload: { text: 'x' } },
      { method: 'DELETE' as const, url: `${POSTS}/${post.id}` },
    ]) {
      const problem = assertProblem(await owner().inject(req), 409, 'POST_SCHEDULED');
      assert.equal((problem.schedules as unknown[]).length, 2);
    }
    const gone = await owner().inject({ method: 'DELETE', url: scheduleUrl(post.id) });
    assert.equal(gone.statusCode, 200, gone.body);
    assert.deepEqual(gone.json().items.map((r: { status: string }) => r.status), ['cancelled', 'cancelled']);
    assert.deepEqual((await publicationsOf(s.kit, s.tenant.accountId, post.id)).map((p) => p.status), ['cancelled', 'cancelled']);
    assert.equal((await getPost(post.id)).deliveryStatus, 'unscheduled');
    const [event] = (await eventsOf(s.kit, s.tenant.accountId, POST_EVENTS.postUnscheduled)).filter((e) => e.postId === post.id);
    assert.equal((event!.targets as unknown[]).length, 2);
    const edited = await owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, payload: { text: 'changed' } });
    assert.equal(edited.statusCode, 200, edited.body);
    const again = await owner().inject({ method: 'DELETE', url: scheduleUrl(post.id) });
    assert.deepEqual([again.statusCode, again.json().items], [200, []], 'nothing left to unschedule is not an error');
  });

  test('one target can be unscheduled alone; then it is not live any more', async () => {
    const post = await createPost(owner());
    const rows = (await schedule(post.id, { targets: [{ socialAccountId: s.ada }, { socialAccountId: s.bea }], ...LATER })).json().schedules as { id: string }[];
    const one = await owner().inject({ method: 'DELETE', url: scheduleUrl(post.id, rows[0]!.id) });
    assert.deepEqual([one.statusCode, one.json().items[0].status], [200, 'cancelled']);
    assertProblem(await owner().inject({ method: 'DELETE', url: scheduleUrl(post.id, rows[0]!.id) }), 409, 'SCHEDULE_NOT_LIVE');
    assert.equal((await owner().inject({ method: 'DELETE', url: scheduleUrl(post.id, '00000000-0000-4000-8000-000000000000') })).statusCode, 404);
    assert.equal((await getPost(post.id)).deliveryStatus, 'scheduled');
    // The account is free again for this post.
    assert.equal((await schedule(post.id, { targets: [{ socialAccountId: s.ada }], ...LATER })).statusCode, 201);
  });

  test('rescheduling moves every live target, or one; publications move with them', async () => {
    const post = await createPost(owner());
    const rows = (await schedule(post.id, { targets: [{ socialAccountId: s.ada }, { socialAccountId: s.bea }], ...LATER })).json().schedules as { id: string }[];
    const all = await owner().inject({ method: 'PATCH', url: scheduleUrl(post.id), payload: { at: '2027-10-31T02:30', timeZone: 'Europe/Rome' } });
    assert.equal(all.statusCode, 200, all.body);
    assert.deepEqual([all.json().dueAt, all.json().resolution, all.json().schedules.length], ['2027-10-31T00:30:00.000Z', 'overlap', 2]);
    const one = await owner().inject({ method: 'PATCH', url: scheduleUrl(post.id, rows[1]!.id), payload: { at: '2027-11-07T01:30', timeZone: 'America/New_York' } });
    assert.equal(one.statusCode, 200, one.body);
    assert.deepEqual(
      (await publicationsOf(s.kit, s.tenant.accountId, post.id)).map((p) => [p.due_at.toISOString(), p.time_zone]),
      [
        ['2027-10-31T00:30:00.000Z', 'Europe/Rome'],
        ['2027-11-07T05:30:00.000Z', 'America/New_York'],
      ],
    );
    const listed = (await owner().inject({ method: 'GET', url: scheduleUrl(post.id) })).json().items as { dueAt: string; localTime: string }[];
    assert.deepEqual(listed.map((r) => r.localTime), ['2027-10-31T02:30:00', '2027-11-07T01:30:00']);
    const moved = (await eventsOf(s.kit, s.tenant.accountId, POST_EVENTS.postScheduled)).filter((e) => e.postId === post.id && e.rescheduled);
    assert.equal(moved.length, 2);

    await owner().inject({ method: 'DELETE', url: scheduleUrl(post.id) });
    assertProblem(await owner().inject({ method: 'PATCH', url: scheduleUrl(post.id), payload: LATER }), 409, 'POST_NOT_SCHEDULED');
    assertProblem(await owner().inject({ method: 'PATCH', url: scheduleUrl(post.id, rows[0]!.id), payload: LATER }), 409, 'SCHEDULE_NOT_LIVE');
  });

  test('what scheduling refuses, each with its code, scheduling nothing', async () => {
    const post = await createPost(owner());
    const refused = async (body: Record<string, unknown>, status: number, code: string) => {
      const problem = assertProblem(await schedule(post.id, body), status, code);
      const left = await s.kit.kernel.tenancy.withTenant(s.tenant.accountId, (db) => db('social_publications').where({ source_id: post.id }).count<{ count: string }[]>());
      assert.equal(left[0]!.count, '0', `${code}: no publication was left behind`);
      return problem;
    };
    const targets = [{ socialAccountId: s.ada }];
    await refused({ targets, at: '2027-03-28T09:00' }, 400, 'TIME_ZONE_REQUIRED');
    await refused({ targets, at: '2027-03-28T09:00', timeZone: 'Europe/Atlantis' }, 400, 'TIME_ZONE_INVALID');
    await refused({ targets, at: '2027-02-30T09:00', timeZone: 'Europe/Rome' }, 400, 'SCHEDULE_TIME_INVALID');
    await refused({ targets, at: '2020-01-01T09:00:00Z' }, 422, 'SCHEDULE_TIME_PAST');
    const unknown = '00000000-0000-4000-8000-00000000beef';
    assert.equal((await refused({ targets: [...targets, { socialAccountId: unknown }], ...LATER }, 422, 'SOCIAL_ACCOUNT_NOT_FOUND')).socialAccountId, unknown);
    assert.equal((await schedule(post.id, { targets: [{ socialAccountId: s.ada }, { socialAccountId: s.ada }], ...LATER })).statusCode, 400, 'the same target twice');

    // The connector's rules apply to the draft each platform gets: all targets or none.
    await owner().inject({ method: 'PUT', url: `${POSTS}/${post.id}/variants/scripted-b`, payload: { text: 'x'.repeat(300) } });
    const invalid = await refused({ targets: [{ socialAccountId: s.ada }, { socialAccountId: s.bea }], ...LATER }, 422, 'DRAFT_INVALID');
    assert.deepEqual([invalid.socialAccountId, invalid.platform], [s.bea, 'scripted-b']);
    assert.equal((await getPost(post.id)).deliveryStatus, 'unscheduled');

    assert.equal((await schedule(post.id, { targets, ...LATER })).statusCode, 201);
    const busy = assertProblem(await schedule(post.id, { targets, at: '2027-05-01T10:00:00Z' }), 409, 'ALREADY_SCHEDULED');
    assert.equal(busy.socialAccountId, s.ada);
    assert.equal((await owner().inject({ method: 'POST', url: scheduleUrl('00000000-0000-4000-8000-000000000000'), payload: { targets, ...LATER } })).statusCode, 404);
  });

  test('a retried schedule request with the same Idempotency-Key schedules once and answers the same', async () => {
    const post = await createPost(owner());
    const caller = owner();
    const request = { method: 'POST' as const, url: scheduleUrl(post.id), headers: { 'idempotency-key': `schedule-${post.id}` }, payload: { targets: [{ socialAccountId: s.ada }], ...LATER } };
    const first = await caller.inject(request);
    const again = await caller.inject(request);
    assert.deepEqual([first.statusCode, again.statusCode], [201, 201], again.body);
    assert.deepEqual(again.json(), first.json());
    assert.equal((await publicationsOf(s.kit, s.tenant.accountId, post.id)).length, 1);
    const other = await caller.inject({ ...request, payload: { ...request.payload, at: '2027-05-01T10:00:00Z' } });
    assert.equal(other.statusCode, 422, 'the same key with another request is refused');
  });

  test('scheduling needs posts:schedule', async () => {
    const post = await createPost(owner());
    const writer = s.tenant.as(['content.posts:read', 'content.posts:write']);
    assert.equal((await writer.inject({ method: 'POST', url: scheduleUrl(post.id), payload: { targets: [{ socialAccountId: s.ada }], ...LATER } })).statusCode, 403);
    assert.equal((await writer.inject({ method: 'DELETE', url: scheduleUrl(post.id) })).statusCode, 403);
    assert.equal((await writer.inject({ method: 'GET', url: scheduleUrl(post.id) })).statusCode, 200);
  });
});

describe('a tenant that requires approval', () => {
  const s = useScheduleKit();
  const { owner } = s;
  const requireApproval = (value: boolean) => setContentSettings(s.kit, s.tenant.accountId, { requireApproval: value });

  test('schedules only approved posts: 409 APPROVAL_REQUIRED otherwise', async () => {
    await requireApproval(true);
    const post = await createPost(owner());
    const body = { targets: [{ socialAccountId: s.ada }], ...LATER };
    for (const step of [null, 'submit'] as const) {
      if (step) await review(owner(), post.id, step);
      const problem = assertProblem(await owner().inject({ method: 'POST', url: scheduleUrl(post.id), payload: body }), 409, 'APPROVAL_REQUIRED');
      assert.equal(problem.approvalStatus, step ? 'review' : 'draft');
    }
    await review(owner(), post.id, 'approve');
    assert.equal((await owner().inject({ method: 'POST', url: scheduleUrl(post.id), payload: body })).statusCode, 201);
  });

  test('an approved post that is edited must be approved again', async () => {
    await requireApproval(true);
    const post = await createPost(owner());
    for (const step of ['submit', 'approve'] as const) await review(owner(), post.id, step);
    await owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, payload: { text: 'late change' } });
    assertProblem(await owner().inject({ method: 'POST', url: scheduleUrl(post.id), payload: { targets: [{ socialAccountId: s.ada }], ...LATER } }), 409, 'APPROVAL_REQUIRED');
  });

  test('without the setting drafts are scheduled; a setting outside the schema is refused', async () => {
    await requireApproval(false);
    const post = await createPost(owner());
    assert.equal((await owner().inject({ method: 'POST', url: scheduleUrl(post.id), payload: { targets: [{ socialAccountId: s.ada }], ...LATER } })).statusCode, 201);
    await assert.rejects(setContentSettings(s.kit, s.tenant.accountId, { requireApproval: 'yes' }), /PLUGIN_SETTINGS_INVALID|invalid/);
  });
});
