import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { APPROVAL_STATUSES, nextApproval } from '../../src/domain/approval.js';
import { canTransition, REVIEWER_DECISIONS } from '../../src/domain/pieces-status.js';
import { actionTo, assertNotOwnWork, REVIEW_ACTIONS, reviewMove } from '../../src/domain/review.js';
import { problem } from '../fixtures/problems.js';

describe('the review posts and pieces share', () => {
  test('every move a post makes, a piece makes to the same status', () => {
    for (const from of APPROVAL_STATUSES) {
      for (const action of REVIEW_ACTIONS) {
        const to = reviewMove(from, action);
        if (to === undefined) assert.throws(() => nextApproval(from, action));
        else assert.ok(canTransition(from, to), `${from} → ${to}`);
      }
    }
  });

  test('the decisions are approving and rejecting', () => {
    assert.deepEqual(REVIEWER_DECISIONS, ['approved', 'rejected']);
    assert.deepEqual(['review', 'approved', 'rejected', 'draft'].map((s) => actionTo(s as 'draft')), ['submit', 'approve', 'reject', undefined]);
  });
});

describe('four eyes', () => {
  const refused = (fn: () => void) => assert.throws(fn, problem(403, 'SELF_APPROVAL_FORBIDDEN'));

  test('an author or submitter does not decide; anyone else does', () => {
    refused(() => assertNotOwnWork('ann', ['ann', 'bob'], false));
    refused(() => assertNotOwnWork('bob', ['ann', 'bob'], false));
    assert.doesNotThrow(() => assertNotOwnWork('cy', ['ann', 'bob'], false));
  });

  test('unless the tenant allows self-approval; unknown people match no one', () => {
    assert.doesNotThrow(() => assertNotOwnWork('ann', ['ann', 'ann'], true));
    assert.doesNotThrow(() => assertNotOwnWork('ann', [null, null], false));
    assert.doesNotThrow(() => assertNotOwnWork(null, [null, 'ann'], false));
  });
});
