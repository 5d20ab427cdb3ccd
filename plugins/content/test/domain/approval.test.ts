import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProblemError } from '@markettina/sdk';
import { allowedActions, APPROVAL_ACTIONS, APPROVAL_STATUSES, assertSchedulable, nextApproval, STATUS_AFTER_EDIT } from '../../src/domain/approval.js';
import { problem } from '../fixtures/problems.js';

const ALLOWED: Record<string, string> = {
  'draft/submit': 'review',
  'rejected/submit': 'review',
  'review/approve': 'approved',
  'review/reject': 'rejected',
};

describe('approval transitions', () => {
  for (const status of APPROVAL_STATUSES) {
    for (const action of APPROVAL_ACTIONS) {
      const to = ALLOWED[`${status}/${action}`];
      test(`${status} + ${action} → ${to ?? '409 APPROVAL_TRANSITION_INVALID'}`, () => {
        if (to) {
          assert.equal(nextApproval(status, action), to);
          return;
        }
        assert.throws(
          () => nextApproval(status, action),
          (err: unknown) => isProblemError(err) && err.status === 409 && err.code === 'APPROVAL_TRANSITION_INVALID' && err.extensions.approvalStatus === status,
        );
      });
    }
  }

  test('the allowed actions are listed for clients', () => {
    assert.deepEqual(allowedActions('draft'), ['submit']);
    assert.deepEqual(allowedActions('review'), ['approve', 'reject']);
    assert.deepEqual(allowedActions('approved'), []);
    assert.deepEqual(allowedActions('rejected'), ['submit']);
  });

  test('an edit sends any post back to draft', () => {
    assert.equal(STATUS_AFTER_EDIT, 'draft');
  });
});

describe('approval gate on scheduling', () => {
  test('only approved posts pass when the tenant requires approval; all pass otherwise', () => {
    for (const status of APPROVAL_STATUSES) {
      assert.doesNotThrow(() => assertSchedulable(status, false));
      if (status === 'approved') assert.doesNotThrow(() => assertSchedulable(status, true));
      else assert.throws(() => assertSchedulable(status, true), problem(409, 'APPROVAL_REQUIRED'));
    }
  });
});
