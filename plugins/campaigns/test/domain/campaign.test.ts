import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProblemError, type ProblemError } from '@markettina/sdk';
import { applyPatch, editableFields, newCampaign, spend, type CampaignFields, type CampaignState } from '../../src/domain/campaign.js';

const fields: CampaignFields = {
  name: 'Spring launch',
  description: '',
  goals: [{ kpi: 'clicks', target: 1000 }],
  startDate: '2027-03-01',
  endDate: '2027-03-31',
  budgetTokens: 500,
};

function problemOf(fn: () => unknown): ProblemError {
  try {
    fn();
  } catch (err) {
    assert.ok(isProblemError(err), String(err));
    return err;
  }
  assert.fail('expected a problem');
}

const running = (over: Partial<CampaignState> = {}): CampaignState => ({ ...fields, status: 'active', spentTokens: 100, ...over });

describe('campaign invariants', () => {
  test('a new campaign is planned with nothing spent', () => {
    assert.deepEqual(newCampaign(fields), { ...fields, status: 'planning', spentTokens: 0 });
  });

  test('start date <= end date: a one-day campaign is fine, an inverted range is 422', () => {
    assert.equal(newCampaign({ ...fields, endDate: fields.startDate }).endDate, fields.startDate);
    const p = problemOf(() => newCampaign({ ...fields, startDate: '2027-04-01' }));
    assert.equal(p.status, 422);
    assert.equal(p.code, 'CAMPAIGN_DATES_INVALID');
    assert.equal(problemOf(() => applyPatch(newCampaign(fields), { endDate: '2027-02-28' })).code, 'CAMPAIGN_DATES_INVALID');
  });

  test('spent <= budget: the budget cannot drop below what is spent', () => {
    assert.equal(applyPatch(running(), { budgetTokens: 100 }).budgetTokens, 100);
    const p = problemOf(() => applyPatch(running(), { budgetTokens: 99 }));
    assert.equal(p.status, 422);
    assert.equal(p.code, 'CAMPAIGN_BUDGET_EXCEEDED');
  });

  test('spending stops at the budget and only while active', () => {
    assert.equal(spend(running(), 400).spentTokens, 500);
    assert.equal(problemOf(() => spend(running(), 401)).code, 'CAMPAIGN_BUDGET_EXCEEDED');
    assert.equal(problemOf(() => spend(running({ status: 'paused' }), 1)).code, 'CAMPAIGN_NOT_ACTIVE');
  });

  test('one goal per KPI', () => {
    const p = problemOf(() => newCampaign({ ...fields, goals: [{ kpi: 'reach', target: 1 }, { kpi: 'reach', target: 2 }] }));
    assert.equal(p.status, 422);
    assert.equal(p.code, 'CAMPAIGN_GOAL_DUPLICATE');
  });
});

describe('what may change in each status', () => {
  test('planning: everything', () => {
    const next = applyPatch(newCampaign(fields), { name: 'Renamed', startDate: '2027-02-01', budgetTokens: 0 });
    assert.deepEqual([next.name, next.startDate, next.budgetTokens], ['Renamed', '2027-02-01', 0]);
  });

  test('active and paused: not the start date', () => {
    for (const status of ['active', 'paused'] as const) {
      assert.equal(applyPatch(running({ status }), { endDate: '2027-04-30' }).endDate, '2027-04-30');
      const p = problemOf(() => applyPatch(running({ status }), { name: 'x', startDate: '2027-02-01' }));
      assert.equal(p.status, 409);
      assert.equal(p.code, 'CAMPAIGN_FIELD_LOCKED');
      assert.deepEqual(p.extensions.fields, ['startDate']);
    }
  });

  test('completed: nothing', () => {
    assert.deepEqual(editableFields('completed'), []);
    assert.equal(problemOf(() => applyPatch(running({ status: 'completed' }), { description: 'late note' })).code, 'CAMPAIGN_FIELD_LOCKED');
  });

  test('a patch never changes status or spend', () => {
    const next = applyPatch(running(), { name: 'Renamed' });
    assert.deepEqual({ ...next, name: fields.name }, running());
  });
});
