import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EVENTS, PIECE_STATUSES } from '../src/contracts.js';
import { assertProblem, eventsOf, setContentSettings, useTenantKit } from './fixtures/kit.js';
import { createPiece, pieceIn, PIECES, transition, type Piece } from './fixtures/pieces.js';

const ALLOWED = new Set(['draft→review', 'rejected→review', 'review→approved', 'review→rejected', 'review→draft', 'approved→draft', 'rejected→draft']);

describe('reviewing content pieces', () => {
  const t = useTenantKit();
  const { owner } = t;
  const author = () => t.tenant.as(['content.pieces:read', 'content.pieces:write']);
  const reviewer = () => t.tenant.as(['content.pieces:read', 'content.pieces:write', 'content.posts:approve']);
  const read = async (id: string) => (await owner().inject({ method: 'GET', url: `${PIECES}/${id}` })).json() as Piece;
  const eventsAbout = async (type: string, pieceId: string) => (await eventsOf(t.kit, t.tenant.accountId, type)).filter((e) => e.pieceId === pieceId);

  test('submit, approve: the reviewer and the time are recorded', async () => {
    const piece = await pieceIn(t.tenant, 'review', {}, author());
    const who = reviewer();
    const res = await transition(who, piece.id, 'approved', 'Clear and on brand');
    assert.equal(res.statusCode, 200, res.body);
    const approved = res.json() as Piece;
    assert.deepEqual([approved.status, approved.reviewedBy, approved.reviewNotes], ['approved', who.principal.id, 'Clear and on brand']);
    assert.ok(approved.approvedAt && approved.reviewedAt);
    const reopened = (await transition(author(), piece.id, 'draft')).json() as Piece;
    assert.deepEqual([reopened.status, reopened.approvedAt, reopened.reviewedBy], ['draft', null, who.principal.id], 'reopening drops the approval, keeps who reviewed');
  });

  test('a rejection needs notes (422) and records them; the author revises from draft', async () => {
    const piece = await pieceIn(t.tenant, 'review', {}, author());
    assertProblem(await transition(reviewer(), piece.id, 'rejected'), 422, 'PIECE_REJECTION_NOTES_REQUIRED');
    const rejected = (await transition(reviewer(), piece.id, 'rejected', 'Cut the intro')).json() as Piece;
    assert.deepEqual([rejected.status, rejected.reviewNotes, rejected.approvedAt], ['rejected', 'Cut the intro', null]);
    assert.equal((await transition(author(), piece.id, 'draft')).statusCode, 200);
    assert.equal((await owner().inject({ method: 'PATCH', url: `${PIECES}/${piece.id}`, payload: { title: 'Revised' } })).statusCode, 200);
  });

  test('a rejected piece can be submitted again as it is, as a rejected post can', async () => {
    const piece = await pieceIn(t.tenant, 'rejected');
    const res = await transition(author(), piece.id, 'review');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as Piece).status, 'review');
    assert.equal((await transition(reviewer(), piece.id, 'approved')).statusCode, 200);
  });

  test('approving and rejecting need content.posts:approve besides pieces:write', async () => {
    const piece = await pieceIn(t.tenant, 'review');
    for (const to of ['approved', 'rejected']) {
      const problem = assertProblem(await transition(author(), piece.id, to, 'My own work'), 403, 'PERMISSION_DENIED');
      assert.equal(problem.permission, 'content.posts:approve');
    }
    const approverOnly = await transition(t.tenant.as(['content.posts:approve']), piece.id, 'approved');
    assert.equal(approverOnly.statusCode, 403, 'the route itself needs pieces:write');
    assert.equal((await read(piece.id)).status, 'review');
  });

  test('notes belong to decisions only: 422 PIECE_NOTES_NOT_ALLOWED on a submit', async () => {
    const piece = await pieceIn(t.tenant, 'draft');
    assertProblem(await transition(author(), piece.id, 'review', 'Please look'), 422, 'PIECE_NOTES_NOT_ALLOWED');
  });

  for (const from of PIECE_STATUSES) {
    for (const to of PIECE_STATUSES.filter((s) => !ALLOWED.has(`${from}→${s}`))) {
      test(`${from} → ${to} is 409 PIECE_TRANSITION_INVALID and changes nothing`, async () => {
        const piece = await pieceIn(t.tenant, from);
        const problem = assertProblem(await transition(owner(), piece.id, to, to === 'rejected' ? 'notes' : undefined), 409, 'PIECE_TRANSITION_INVALID');
        assert.deepEqual([problem.from, problem.to], [from, to]);
        assert.equal((await read(piece.id)).status, from);
      });
    }
  }

  test('an unknown piece is 404; an unknown status is 400', async () => {
    const piece = await pieceIn(t.tenant, 'draft');
    assert.equal((await transition(owner(), '00000000-0000-4000-8000-000000000000', 'review')).statusCode, 404);
    assert.equal((await transition(owner(), piece.id, 'published')).statusCode, 400);
  });

  test('PieceApprovalRequested, PieceApprovalGranted and PieceApprovalRejected, as posts publish, each once per move', async () => {
    const [writer, rev] = [author(), reviewer()];
    const piece = await createPiece(writer);
    await transition(writer, piece.id, 'review');
    await transition(rev, piece.id, 'rejected', 'No');
    await transition(writer, piece.id, 'review');
    await transition(rev, piece.id, 'approved');
    await transition(rev, piece.id, 'approved'); // refused: publishes nothing
    await transition(writer, piece.id, 'draft'); // back to draft: publishes nothing
    assert.deepEqual(await eventsAbout(EVENTS.pieceApprovalRequested, piece.id), [
      { pieceId: piece.id, requestedBy: writer.principal.id },
      { pieceId: piece.id, requestedBy: writer.principal.id },
    ]);
    assert.deepEqual(await eventsAbout(EVENTS.pieceApprovalRejected, piece.id), [{ pieceId: piece.id, rejectedBy: rev.principal.id, reason: 'No' }]);
    assert.deepEqual(await eventsAbout(EVENTS.pieceApprovalGranted, piece.id), [{ pieceId: piece.id, approvedBy: rev.principal.id, notes: null }]);
  });

  describe('four eyes', () => {
    test('whoever wrote a piece, or changed it last, cannot approve or reject it: 403 SELF_APPROVAL_FORBIDDEN, nothing published', async () => {
      const [writer, editor] = [reviewer(), reviewer()];
      const own = await pieceIn(t.tenant, 'review', {}, writer);
      assertProblem(await transition(writer, own.id, 'approved'), 403, 'SELF_APPROVAL_FORBIDDEN');
      const edited = await createPiece(writer);
      assert.equal((await editor.inject({ method: 'PATCH', url: `${PIECES}/${edited.id}`, payload: { title: 'Edited by another' } })).statusCode, 200);
      assert.equal((await transition(owner(), edited.id, 'review')).statusCode, 200);
      assertProblem(await transition(editor, edited.id, 'approved'), 403, 'SELF_APPROVAL_FORBIDDEN');
      assertProblem(await transition(editor, edited.id, 'rejected', 'Mine'), 403, 'SELF_APPROVAL_FORBIDDEN');
      assert.equal((await read(edited.id)).status, 'review');
      assert.deepEqual(await eventsAbout(EVENTS.pieceApprovalGranted, edited.id), []);
      assert.equal((await transition(writer, edited.id, 'approved')).statusCode, 200, 'who wrote an earlier state may');
    });

    test('nor may who submitted it', async () => {
      const submitter = reviewer();
      const piece = await createPiece(owner());
      assert.equal((await transition(submitter, piece.id, 'review')).statusCode, 200);
      assertProblem(await transition(submitter, piece.id, 'approved'), 403, 'SELF_APPROVAL_FORBIDDEN');
      assert.equal((await transition(reviewer(), piece.id, 'approved')).statusCode, 200);
    });

    test('a tenant that allows self-approval lets the author decide', async () => {
      const team = await t.kit.createTenant();
      const solo = team.as(['*']);
      await setContentSettings(t.kit, team.accountId, { allowSelfApproval: true });
      const piece = await createPiece(solo);
      await transition(solo, piece.id, 'review');
      assert.equal((await transition(solo, piece.id, 'approved')).statusCode, 200);
      await setContentSettings(t.kit, team.accountId, { allowSelfApproval: false });
      const next = await createPiece(solo);
      await transition(solo, next.id, 'review');
      assertProblem(await transition(solo, next.id, 'rejected', 'Mine'), 403, 'SELF_APPROVAL_FORBIDDEN');
    });
  });
});
