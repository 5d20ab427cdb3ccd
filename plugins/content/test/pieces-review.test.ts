import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestKernel, TestTenant } from '@markettina/sdk/testing';
import { PIECE_STATUSES } from '../src/contracts.js';
import { pieceIn, PIECES, startContentKit, transition, type Piece } from './fixtures/pieces-kit.js';

const ALLOWED = new Set(['draft→review', 'review→approved', 'review→rejected', 'review→draft', 'approved→draft', 'rejected→draft']);

describe('reviewing content pieces', () => {
  let kit: TestKernel;
  let tenant: TestTenant;
  before(async () => {
    kit = await startContentKit();
    tenant = await kit.createTenant();
  });
  after(() => kit?.close());

  const owner = () => tenant.as(['*']);
  const author = () => tenant.as(['content.pieces:read', 'content.pieces:write']);
  const reviewer = () => tenant.as(['content.pieces:read', 'content.pieces:write', 'content.posts:approve']);
  const read = async (id: string) => (await owner().inject({ method: 'GET', url: `${PIECES}/${id}` })).json() as Piece;

  test('submit, approve: the reviewer and the time are recorded', async () => {
    const piece = await pieceIn(author(), 'review');
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
    const piece = await pieceIn(author(), 'review');
    const bare = await transition(reviewer(), piece.id, 'rejected');
    assert.deepEqual([bare.statusCode, bare.json().code], [422, 'PIECE_REJECTION_NOTES_REQUIRED']);
    const rejected = (await transition(reviewer(), piece.id, 'rejected', 'Cut the intro')).json() as Piece;
    assert.deepEqual([rejected.status, rejected.reviewNotes, rejected.approvedAt], ['rejected', 'Cut the intro', null]);
    assert.equal((await transition(author(), piece.id, 'draft')).statusCode, 200);
    assert.equal((await owner().inject({ method: 'PATCH', url: `${PIECES}/${piece.id}`, payload: { title: 'Revised' } })).statusCode, 200);
  });

  test('approving and rejecting need content.posts:approve besides pieces:write', async () => {
    const piece = await pieceIn(author(), 'review');
    for (const to of ['approved', 'rejected']) {
      const res = await transition(author(), piece.id, to, 'My own work');
      assert.equal(res.statusCode, 403, to);
      assert.deepEqual([res.json().code, res.json().permission], ['PERMISSION_DENIED', 'content.posts:approve']);
    }
    const approverOnly = await transition(tenant.as(['content.posts:approve']), piece.id, 'approved');
    assert.equal(approverOnly.statusCode, 403, 'the route itself needs pieces:write');
    assert.equal((await read(piece.id)).status, 'review');
  });

  test('notes belong to decisions only: 422 PIECE_NOTES_NOT_ALLOWED on a submit', async () => {
    const piece = await pieceIn(author(), 'draft');
    const res = await transition(author(), piece.id, 'review', 'Please look');
    assert.deepEqual([res.statusCode, res.json().code], [422, 'PIECE_NOTES_NOT_ALLOWED']);
  });

  for (const from of PIECE_STATUSES) {
    for (const to of PIECE_STATUSES.filter((t) => !ALLOWED.has(`${from}→${t}`))) {
      test(`${from} → ${to} is 409 PIECE_TRANSITION_INVALID and changes nothing`, async () => {
        const piece = await pieceIn(owner(), from);
        const res = await transition(owner(), piece.id, to, to === 'rejected' ? 'notes' : undefined);
        assert.equal(res.statusCode, 409, res.body);
        assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
        assert.deepEqual([res.json().code, res.json().from, res.json().to], ['PIECE_TRANSITION_INVALID', from, to]);
        assert.equal((await read(piece.id)).status, from);
      });
    }
  }

  test('an unknown piece is 404; an unknown status is 400', async () => {
    const piece = await pieceIn(owner(), 'draft');
    assert.equal((await transition(owner(), '00000000-0000-4000-8000-000000000000', 'review')).statusCode, 404);
    assert.equal((await transition(owner(), piece.id, 'published')).statusCode, 400);
  });
});
