import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProblemError } from '@markettina/sdk';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '../../src/contracts.js';
import { assertDeletable, assertTransition, canTransition } from '../../src/domain/status.js';

/** The whole lifecycle, written out: every pair not listed here must be refused. */
const ALLOWED = new Set(['planning→active', 'active→paused', 'active→completed', 'paused→active', 'paused→completed']);

const problemOf = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    assert.ok(isProblemError(err), String(err));
    return err;
  }
  return undefined;
};

describe('campaign status transitions', () => {
  for (const from of CAMPAIGN_STATUSES) {
    for (const to of CAMPAIGN_STATUSES) {
      const allowed = ALLOWED.has(`${from}→${to}`);
      test(`${from} → ${to} is ${allowed ? 'allowed' : 'refused'}`, () => {
        assert.equal(canTransition(from, to), allowed);
        const problem = problemOf(() => assertTransition(from, to));
        if (allowed) return assert.equal(problem, undefined);
        assert.equal(problem?.status, 409);
        assert.equal(problem?.code, 'CAMPAIGN_TRANSITION_INVALID');
        assert.equal(problem?.extensions.from, from);
        assert.equal(problem?.extensions.to, to);
      });
    }
  }

  test('completed is terminal and every status can reach it except planning', () => {
    assert.deepEqual(CAMPAIGN_STATUSES.filter((to) => canTransition('completed', to)), []);
    assert.deepEqual(CAMPAIGN_STATUSES.filter((from) => canTransition(from, 'completed')), ['active', 'paused'] satisfies CampaignStatus[]);
  });

  test('only a campaign in planning can be deleted', () => {
    assert.equal(problemOf(() => assertDeletable('planning')), undefined);
    for (const status of ['active', 'paused', 'completed'] as const) {
      const problem = problemOf(() => assertDeletable(status));
      assert.equal(problem?.status, 409);
      assert.equal(problem?.code, 'CAMPAIGN_NOT_DELETABLE');
    }
  });
});
