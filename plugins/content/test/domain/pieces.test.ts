import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PIECE_STATUSES } from '../../src/contracts.js';
import { assertChainDepth, assertNotOwnAncestor, buildTree, MAX_CHAIN_DEPTH } from '../../src/domain/pieces-chain.js';
import { assertEditable, assertReviewNotes, assertTransition, canTransition } from '../../src/domain/pieces-status.js';
import { newPiece, normalizeKeywords, patchPiece } from '../../src/domain/pieces.js';
import { outcomeOf as codeOf } from '../fixtures/problems.js';


/** The review, written out: every pair not listed here must be refused. */
const ALLOWED = new Set(['draft→review', 'rejected→review', 'review→approved', 'review→rejected', 'review→draft', 'approved→draft', 'rejected→draft']);

describe('piece review transitions', () => {
  for (const from of PIECE_STATUSES) {
    for (const to of PIECE_STATUSES) {
      const allowed = ALLOWED.has(`${from}→${to}`);
      test(`${from} → ${to} is ${allowed ? 'allowed' : 'refused with 409'}`, () => {
        assert.equal(canTransition(from, to), allowed);
        assert.equal(codeOf(() => assertTransition(from, to)), allowed ? 'ok' : '409 PIECE_TRANSITION_INVALID');
      });
    }
  }

  test('only a draft can be edited; a rejection needs notes', () => {
    assert.deepEqual(PIECE_STATUSES.map((s) => codeOf(() => assertEditable(s))), ['ok', '409 PIECE_NOT_EDITABLE', '409 PIECE_NOT_EDITABLE', '409 PIECE_NOT_EDITABLE']);
    assert.equal(codeOf(() => assertReviewNotes('rejected', '  ')), '422 PIECE_REJECTION_NOTES_REQUIRED');
    assert.equal(codeOf(() => assertReviewNotes('rejected', 'Too long')), 'ok');
    assert.equal(codeOf(() => assertReviewNotes('approved', undefined)), 'ok');
  });
});

describe('piece fields', () => {
  test('keywords are trimmed and deduplicated ignoring case, the focus keyword first', () => {
    assert.deepEqual(normalizeKeywords(['  Content   marketing ', 'SEO', 'content marketing', '', 'seo']), ['Content marketing', 'SEO']);
  });

  test('a thread or carousel is its parts; a body given instead is split at blank lines', () => {
    const fromParts = newPiece({ type: 'thread', title: 'T', parts: ['one', 'two'] });
    assert.deepEqual([fromParts.parts, fromParts.body], [['one', 'two'], 'one\n\ntwo']);
    assert.deepEqual(newPiece({ type: 'carousel', title: 'T', body: 'one\n\n \n\ntwo\nstill two' }).parts, ['one', 'two\nstill two']);
    assert.equal(codeOf(() => newPiece({ type: 'thread', title: 'T', body: 'x', parts: ['x'] })), '422 PIECE_BODY_AND_PARTS');
    assert.equal(codeOf(() => newPiece({ type: 'thread', title: 'T', parts: ['  '] })), '422 PIECE_BODY_REQUIRED');
    assert.equal(codeOf(() => newPiece({ type: 'blog', title: 'T', parts: ['x'] })), '422 PIECE_PARTS_NOT_ALLOWED');
    assert.equal(codeOf(() => newPiece({ type: 'blog', title: 'T' })), '422 PIECE_BODY_REQUIRED');
    assert.equal(codeOf(() => newPiece({ type: 'blog', title: '   ', body: 'x' })), '422 PIECE_TITLE_REQUIRED');
  });

  test('a change keeps what it does not name; changing the type re-shapes the text', () => {
    const blog = { ...newPiece({ type: 'blog', title: 'T', body: 'First.\n\nSecond.', keywords: ['a'] }), status: 'draft' as const };
    const retitled = patchPiece(blog, { title: 'New' });
    assert.deepEqual([retitled.title, retitled.body, retitled.keywords], ['New', 'First.\n\nSecond.', ['a']]);
    const asThread = patchPiece(blog, { type: 'thread' });
    assert.deepEqual(asThread.parts, ['First.', 'Second.']);
    const thread = { ...asThread, status: 'draft' as const };
    assert.deepEqual(patchPiece(thread, { title: 'x' }).parts, ['First.', 'Second.'], 'parts kept as they are');
    assert.deepEqual(patchPiece(thread, { type: 'blog' }).parts, []);
    assert.equal(patchPiece(blog, { metaTitle: null, campaignId: null }).metaTitle, null);
    assert.equal(codeOf(() => patchPiece({ ...blog, status: 'approved' }, { title: 'x' })), '409 PIECE_NOT_EDITABLE');
  });
});

describe('repurposing chains', () => {
  test('a piece cannot hang under itself or a descendant', () => {
    assert.equal(codeOf(() => assertNotOwnAncestor('a', ['a'])), '409 PIECE_CHAIN_CYCLE');
    assert.equal(codeOf(() => assertNotOwnAncestor('a', ['c', 'b', 'a'])), '409 PIECE_CHAIN_CYCLE');
    assert.equal(codeOf(() => assertNotOwnAncestor('a', ['c', 'b'])), 'ok');
  });

  test(`a chain is at most ${MAX_CHAIN_DEPTH} levels below its root, counting what hangs under a moved piece`, () => {
    assert.equal(codeOf(() => assertChainDepth(MAX_CHAIN_DEPTH, 0)), 'ok');
    assert.equal(codeOf(() => assertChainDepth(MAX_CHAIN_DEPTH + 1, 0)), '409 PIECE_CHAIN_TOO_DEEP');
    assert.equal(codeOf(() => assertChainDepth(MAX_CHAIN_DEPTH - 2, 3)), '409 PIECE_CHAIN_TOO_DEEP');
  });

  test('the tree nests descendants under their parents and marks where it was cut', () => {
    const e = (id: string, parentId: string | null, depth: number) => ({ id, parentId, depth });
    const tree = buildTree(e('r', null, 0), [e('a', 'r', 1), e('b', 'r', 1), e('a1', 'a', 2), e('a1x', 'a1', 3)], 2);
    assert.deepEqual(tree, {
      id: 'r',
      parentId: null,
      truncated: false,
      children: [
        { id: 'a', parentId: 'r', truncated: false, children: [{ id: 'a1', parentId: 'a', truncated: true, children: [] }] },
        { id: 'b', parentId: 'r', truncated: false, children: [] },
      ],
    });
  });
});
