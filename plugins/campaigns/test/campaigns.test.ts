import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestKernel, TestTenant } from '@markettina/sdk/testing';
import { BASE, campaignIn, createCampaign, spring, transition, type Campaign } from './fixtures/kit.js';
import { startCampaignsKit } from './fixtures/kit.js';

const STATUSES = ['planning', 'active', 'paused', 'completed'] as const;
const ALLOWED = new Set(['planning→active', 'active→paused', 'active→completed', 'paused→active', 'paused→completed']);

describe('campaigns REST', () => {
  let kit: TestKernel;
  let tenant: TestTenant;
  before(async () => {
    kit = await startCampaignsKit();
    tenant = await kit.createTenant();
  });
  after(() => kit?.close());

  const owner = () => tenant.as(['*']);

  test('plan, read, change, run and complete a campaign', async () => {
    const created = await createCampaign(owner(), { description: 'New line', goals: [{ kpi: 'clicks', target: 1000 }, { kpi: 'leads', target: 50 }] });
    assert.equal(created.status, 'planning');
    assert.equal(created.spentTokens, 0);
    assert.deepEqual([created.startDate, created.endDate, created.budgetTokens], [spring.startDate, spring.endDate, spring.budgetTokens]);

    const read = await owner().inject({ method: 'GET', url: `${BASE}/${created.id}` });
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), created);

    const changed = await owner().inject({ method: 'PATCH', url: `${BASE}/${created.id}`, payload: { startDate: '2027-02-15', budgetTokens: 800 } });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual([changed.json().startDate, changed.json().budgetTokens], ['2027-02-15', 800]);

    for (const to of ['active', 'paused', 'active', 'completed']) {
      const res = await transition(owner(), created.id, to);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().status, to);
    }
    assert.equal((await owner().inject({ method: 'GET', url: `${BASE}/${created.id}` })).json().status, 'completed');
  });

  for (const from of STATUSES) {
    for (const to of STATUSES.filter((t) => !ALLOWED.has(`${from}→${t}`))) {
      test(`${from} → ${to} is 409 CAMPAIGN_TRANSITION_INVALID and changes nothing`, async () => {
        const campaign = await campaignIn(owner(), from);
        const res = await transition(owner(), campaign.id, to);
        assert.equal(res.statusCode, 409);
        assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
        const problem = res.json();
        assert.deepEqual([problem.code, problem.from, problem.to], ['CAMPAIGN_TRANSITION_INVALID', from, to]);
        assert.equal((await owner().inject({ method: 'GET', url: `${BASE}/${campaign.id}` })).json().status, from);
      });
    }
  }

  test('an inverted date range is 422 on create and on change', async () => {
    const res = await owner().inject({ method: 'POST', url: BASE, payload: { ...spring, startDate: '2027-04-01' } });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'CAMPAIGN_DATES_INVALID');
    const campaign = await createCampaign(owner());
    const patched = await owner().inject({ method: 'PATCH', url: `${BASE}/${campaign.id}`, payload: { endDate: '2027-02-01' } });
    assert.equal(patched.statusCode, 422);
    assert.equal(patched.json().code, 'CAMPAIGN_DATES_INVALID');
  });

  test('the budget cannot drop below the tokens spent: 422', async () => {
    const campaign = await campaignIn(owner(), 'active');
    await kit.kernel.tenancy.withTenant(tenant.accountId, (db) => db('campaigns').where({ id: campaign.id }).update({ spent_tokens: 300 }));
    const res = await owner().inject({ method: 'PATCH', url: `${BASE}/${campaign.id}`, payload: { budgetTokens: 299 } });
    assert.equal(res.statusCode, 422);
    assert.deepEqual([res.json().code, res.json().spentTokens, res.json().budgetTokens], ['CAMPAIGN_BUDGET_EXCEEDED', 300, 299]);
    const ok = await owner().inject({ method: 'PATCH', url: `${BASE}/${campaign.id}`, payload: { budgetTokens: 300 } });
    assert.equal(ok.statusCode, 200, ok.body);
  });

  test('the database refuses what the domain refuses, for writers that skip it', async () => {
    const campaign = await createCampaign(owner());
    const write = (change: Record<string, unknown>) => kit.kernel.tenancy.withTenant(tenant.accountId, (db) => db('campaigns').where({ id: campaign.id }).update(change));
    await assert.rejects(write({ start_date: '2027-05-01' }), (err: { constraint?: string }) => err.constraint === 'campaigns_dates_check');
    await assert.rejects(write({ spent_tokens: 501 }), (err: { constraint?: string }) => err.constraint === 'campaigns_budget_check');
    await assert.rejects(write({ budget_tokens: -1 }), /check constraint/);
  });

  test('duplicate goals are 422; malformed goals are 400', async () => {
    const dup = await owner().inject({ method: 'POST', url: BASE, payload: { ...spring, goals: [{ kpi: 'reach', target: 1 }, { kpi: 'reach', target: 2 }] } });
    assert.equal(dup.statusCode, 422);
    assert.equal(dup.json().code, 'CAMPAIGN_GOAL_DUPLICATE');
    const bad = await owner().inject({ method: 'POST', url: BASE, payload: { ...spring, goals: [{ kpi: 'vibes', target: 1 }] } });
    assert.equal(bad.statusCode, 400);
  });

  test('what may change follows the status: 409 CAMPAIGN_FIELD_LOCKED', async () => {
    const active = await campaignIn(owner(), 'active');
    const start = await owner().inject({ method: 'PATCH', url: `${BASE}/${active.id}`, payload: { startDate: '2027-02-01' } });
    assert.equal(start.statusCode, 409);
    assert.deepEqual([start.json().code, start.json().fields], ['CAMPAIGN_FIELD_LOCKED', ['startDate']]);
    assert.equal((await owner().inject({ method: 'PATCH', url: `${BASE}/${active.id}`, payload: { endDate: '2027-04-30' } })).statusCode, 200);
    const done = await campaignIn(owner(), 'completed');
    assert.equal((await owner().inject({ method: 'PATCH', url: `${BASE}/${done.id}`, payload: { name: 'Late' } })).json().code, 'CAMPAIGN_FIELD_LOCKED');
  });

  test('only a campaign in planning can be deleted', async () => {
    const planned = await createCampaign(owner());
    const del = await owner().inject({ method: 'DELETE', url: `${BASE}/${planned.id}` });
    assert.equal(del.statusCode, 204);
    assert.equal((await owner().inject({ method: 'GET', url: `${BASE}/${planned.id}` })).statusCode, 404);
    for (const status of ['active', 'paused', 'completed']) {
      const campaign = await campaignIn(owner(), status);
      const res = await owner().inject({ method: 'DELETE', url: `${BASE}/${campaign.id}` });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'CAMPAIGN_NOT_DELETABLE');
    }
  });

  test('reads need campaigns:read, writes campaigns:write', async () => {
    const campaign = await createCampaign(owner());
    const reader = tenant.as(['campaigns.campaigns:read']);
    assert.equal((await reader.inject({ method: 'GET', url: `${BASE}/${campaign.id}` })).statusCode, 200);
    assert.equal((await reader.inject({ method: 'POST', url: BASE, payload: spring })).statusCode, 403);
    assert.equal((await transition(reader, campaign.id, 'active')).statusCode, 403);
    assert.equal((await tenant.as([]).inject({ method: 'GET', url: BASE })).statusCode, 403);
  });

  test('a create repeated with the same Idempotency-Key creates one campaign', async () => {
    const caller = owner();
    const send = () => caller.inject({ method: 'POST', url: BASE, payload: { ...spring, name: 'Once' }, headers: { 'idempotency-key': 'create-once-1' } });
    const first = await send();
    const second = await send();
    assert.equal(first.statusCode, 201, first.body);
    assert.equal((second.json() as Campaign).id, (first.json() as Campaign).id);
    const items = (await caller.inject({ method: 'GET', url: `${BASE}?limit=200` })).json().items as Campaign[];
    assert.equal(items.filter((c) => c.name === 'Once').length, 1);
  });

  test('a campaign of another tenant is 404 to read, change, transition and delete', async () => {
    const other = await kit.createTenant();
    const theirs = await createCampaign(other.as(['*']), { name: 'Theirs' });
    const me = owner();
    assert.equal((await me.inject({ method: 'GET', url: `${BASE}/${theirs.id}` })).statusCode, 404);
    assert.equal((await me.inject({ method: 'PATCH', url: `${BASE}/${theirs.id}`, payload: { name: 'Mine' } })).statusCode, 404);
    assert.equal((await transition(me, theirs.id, 'active')).statusCode, 404);
    assert.equal((await me.inject({ method: 'DELETE', url: `${BASE}/${theirs.id}` })).statusCode, 404);
    const listed = (await me.inject({ method: 'GET', url: `${BASE}?limit=200` })).json().items as Campaign[];
    assert.ok(!listed.some((c) => c.id === theirs.id));
    const still = (await other.as(['*']).inject({ method: 'GET', url: `${BASE}/${theirs.id}` })).json();
    assert.deepEqual([still.name, still.status], ['Theirs', 'planning']);
  });
});
