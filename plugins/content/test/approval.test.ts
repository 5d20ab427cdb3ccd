import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { POST_EVENTS } from '../src/contracts.js';
import { assertProblem, eventsOf, setContentSettings, useTenantKit } from './fixtures/kit.js';
import { createPost, patchPost, postIn, POSTS, review } from './fixtures/posts.js';

const ALLOWED = new Set(['draft/submit', 'rejected/submit', 'review/approve', 'review/reject']);

describe('post review REST', () => {
  const t = useTenantKit({ campaigns: true });
  const { owner } = t;
  const author = () => t.tenant.as(['content.posts:read', 'content.posts:write']);
  const reviewer = () => t.tenant.as(['content.posts:read', 'content.posts:approve']);

  test('write, submit, reject with a reason, rework, resubmit, approve', async () => {
    const post = await createPost(author(), { text: 'First try' });
    const submitted = await review(author(), post.id, 'submit');
    assert.equal(submitted.json().approvalStatus, 'review');
    const rejecter = reviewer();
    const rejected = await review(rejecter, post.id, 'reject', 'Say what it costs');
    assert.equal(rejected.statusCode, 200, rejected.body);
    assert.equal(rejected.json().approvalStatus, 'rejected');
    assert.deepEqual({ ...rejected.json().review, at: undefined }, { version: 1, by: rejecter.principal.id, at: undefined, reason: 'Say what it costs' });

    const reworked = await patchPost(author(), post.id, { text: 'First try, 3 €' });
    assert.deepEqual([reworked.approvalStatus, reworked.version, reworked.review?.reason], ['draft', 2, 'Say what it costs'], 'the reason stays readable while reworking');
    assert.equal((await review(author(), post.id, 'submit')).json().approvalStatus, 'review');
    const approved = await reviewer().inject({ method: 'POST', url: `${POSTS}/${post.id}/approve`, headers: { 'if-match': '"2"' } });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.deepEqual([approved.json().approvalStatus, approved.json().review.version, approved.json().review.reason], ['approved', 2, null]);
  });

  test('a rejected post can be resubmitted as it is', async () => {
    const post = await postIn(t.tenant, 'rejected');
    assert.equal((await review(owner(), post.id, 'submit')).json().approvalStatus, 'review');
  });

  test('editing an approved post sends it back to draft; so does a restore or a variant', async () => {
    for (const change of [
      (id: string) => owner().inject({ method: 'PATCH', url: `${POSTS}/${id}`, payload: { text: 'changed' } }),
      (id: string) => owner().inject({ method: 'PUT', url: `${POSTS}/${id}/variants/mastodon`, payload: { text: 'toot' } }),
    ]) {
      const post = await postIn(t.tenant, 'approved');
      const res = await change(post.id);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().approvalStatus, 'draft');
    }
    const post = await postIn(t.tenant, 'draft');
    await patchPost(owner(), post.id, { text: 'v2' });
    for (const action of ['submit', 'approve'] as const) await review(owner(), post.id, action);
    const restored = await owner().inject({ method: 'POST', url: `${POSTS}/${post.id}/versions/1/restore` });
    assert.equal(restored.json().approvalStatus, 'draft');
  });

  test('a post under review that is edited leaves review', async () => {
    const post = await postIn(t.tenant, 'review');
    assert.equal((await patchPost(owner(), post.id, { text: 'edited in review' })).approvalStatus, 'draft');
    assertProblem(await review(owner(), post.id, 'approve'), 409, 'APPROVAL_TRANSITION_INVALID');
  });

  for (const from of ['draft', 'review', 'approved', 'rejected']) {
    for (const action of ['submit', 'approve', 'reject'] as const) {
      if (ALLOWED.has(`${from}/${action}`)) continue;
      test(`${from} + ${action} is 409 APPROVAL_TRANSITION_INVALID and changes nothing`, async () => {
        const post = await postIn(t.tenant, from);
        const problem = assertProblem(await review(owner(), post.id, action), 409, 'APPROVAL_TRANSITION_INVALID');
        assert.deepEqual([problem.approvalStatus, problem.action], [from, action]);
        assert.equal((await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}` })).json().approvalStatus, from);
      });
    }
  }

  test('approving pins the version the reviewer read: 412 when it changed since', async () => {
    const post = await postIn(t.tenant, 'review');
    assertProblem(await reviewer().inject({ method: 'POST', url: `${POSTS}/${post.id}/approve`, headers: { 'if-match': '"2"' } }), 412, 'POST_VERSION_MISMATCH');
  });

  test('approving and rejecting need posts:approve; authors cannot; a reviewer cannot submit', async () => {
    const post = await postIn(t.tenant, 'review');
    assert.equal((await review(author(), post.id, 'approve')).statusCode, 403);
    assert.equal((await review(author(), post.id, 'reject')).statusCode, 403);
    const draft = await postIn(t.tenant, 'draft');
    assert.equal((await review(reviewer(), draft.id, 'submit')).statusCode, 403);
    assert.equal((await owner().inject({ method: 'POST', url: `${POSTS}/${post.id}/reject`, payload: {} })).statusCode, 400, 'a rejection says why');
  });

  test('ApprovalRequested, ApprovalGranted and ApprovalRejected, each once per move', async () => {
    const rev = reviewer();
    const writer = author();
    const post = await createPost(writer);
    await review(writer, post.id, 'submit');
    await review(rev, post.id, 'reject', 'No');
    await review(writer, post.id, 'submit');
    await review(rev, post.id, 'approve');
    await review(rev, post.id, 'approve'); // refused: publishes nothing
    const of = async (type: string) => (await eventsOf(t.kit, t.tenant.accountId, type)).filter((e) => e.postId === post.id);
    assert.deepEqual(await of(POST_EVENTS.approvalRequested), [
      { postId: post.id, version: 1, requestedBy: writer.principal.id },
      { postId: post.id, version: 1, requestedBy: writer.principal.id },
    ]);
    assert.deepEqual(await of(POST_EVENTS.approvalRejected), [{ postId: post.id, version: 1, rejectedBy: rev.principal.id, reason: 'No' }]);
    assert.deepEqual(await of(POST_EVENTS.approvalGranted), [{ postId: post.id, version: 1, approvedBy: rev.principal.id }]);
  });
  describe('four eyes', () => {
    test('whoever wrote the version under review cannot approve or reject it: 403 SELF_APPROVAL_FORBIDDEN, nothing published', async () => {
      const writer = owner();
      const post = await createPost(writer, { text: 'Mine' });
      assert.equal((await review(writer, post.id, 'submit')).statusCode, 200);
      for (const action of ['approve', 'reject'] as const) assertProblem(await review(writer, post.id, action), 403, 'SELF_APPROVAL_FORBIDDEN');
      assert.equal((await t.owner().inject({ method: 'GET', url: `${POSTS}/${post.id}` })).json().approvalStatus, 'review');
      assert.deepEqual((await eventsOf(t.kit, t.tenant.accountId, POST_EVENTS.approvalGranted)).filter((e) => e.postId === post.id), []);
      assert.equal((await review(owner(), post.id, 'approve')).statusCode, 200, 'someone else may');
    });

    test('nor may who submitted it, or who wrote its latest version; who wrote an older one may', async () => {
      const [first, editor, submitter] = [owner(), owner(), owner()];
      const post = await createPost(first, { text: 'v1' });
      await patchPost(editor, post.id, { text: 'v2' });
      assert.equal((await review(submitter, post.id, 'submit')).statusCode, 200);
      assertProblem(await review(submitter, post.id, 'reject'), 403, 'SELF_APPROVAL_FORBIDDEN');
      assertProblem(await review(editor, post.id, 'approve'), 403, 'SELF_APPROVAL_FORBIDDEN');
      const approved = await review(first, post.id, 'approve');
      assert.equal(approved.statusCode, 200, approved.body);
      assert.deepEqual([approved.json().review.by, approved.json().review.version], [first.principal.id, 2]);
    });

    test('a tenant that allows self-approval lets the author decide', async () => {
      const team = await t.kit.createTenant();
      await setContentSettings(t.kit, team.accountId, { allowSelfApproval: true });
      const solo = team.as(['*']);
      const post = await createPost(solo);
      await review(solo, post.id, 'submit');
      const res = await review(solo, post.id, 'approve');
      assert.equal(res.statusCode, 200, res.body);
      await setContentSettings(t.kit, team.accountId, { allowSelfApproval: false });
      const next = await createPost(solo);
      await review(solo, next.id, 'submit');
      assertProblem(await review(solo, next.id, 'approve'), 403, 'SELF_APPROVAL_FORBIDDEN');
      await assert.rejects(setContentSettings(t.kit, team.accountId, { allowSelfApproval: 'yes' }), /PLUGIN_SETTINGS_INVALID|invalid/);
    });
  });
});
