import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestKernel, TestTenant } from '@markettina/sdk/testing';
import { EVENTS } from '../src/contracts.js';
import { createCampaign, eventsOf, internals, spring, startCampaignsKit, transition } from './fixtures/kit.js';

describe('campaign events', () => {
  let kit: TestKernel;
  let tenant: TestTenant;
  before(async () => {
    kit = await startCampaignsKit();
    tenant = await kit.createTenant();
  });
  after(() => kit?.close());

  const owner = () => tenant.as(['*']);
  const forCampaign = async (type: string, id: string) => (await eventsOf(kit, tenant.accountId, type)).filter((e) => e.campaignId === id);

  test('CampaignCreated, then CampaignActivated on launch and resume, CampaignCompleted once', async () => {
    const c = await createCampaign(owner());
    assert.deepEqual(await forCampaign(EVENTS.campaignCreated, c.id), [
      { campaignId: c.id, name: spring.name, startDate: spring.startDate, endDate: spring.endDate, budgetTokens: spring.budgetTokens },
    ]);
    assert.equal((await owner().inject({ method: 'PATCH', url: `/v1/campaigns/campaigns/${c.id}`, payload: { name: 'Renamed' } })).statusCode, 200);
    for (const to of ['active', 'paused', 'active', 'completed']) assert.equal((await transition(owner(), c.id, to)).statusCode, 200);

    assert.deepEqual(await forCampaign(EVENTS.campaignActivated, c.id), [
      { campaignId: c.id, from: 'planning' },
      { campaignId: c.id, from: 'paused' },
    ]);
    assert.deepEqual(await forCampaign(EVENTS.campaignCompleted, c.id), [{ campaignId: c.id, from: 'active', budgetTokens: 500, spentTokens: 0 }]);
    assert.equal((await forCampaign(EVENTS.campaignCreated, c.id)).length, 1, 'edits publish nothing');
  });

  test('completing a paused campaign publishes CampaignCompleted from paused', async () => {
    const c = await createCampaign(owner());
    for (const to of ['active', 'paused', 'completed']) assert.equal((await transition(owner(), c.id, to)).statusCode, 200);
    assert.deepEqual(await forCampaign(EVENTS.campaignCompleted, c.id), [{ campaignId: c.id, from: 'paused', budgetTokens: 500, spentTokens: 0 }]);
  });

  test('refused transitions and refused creates publish nothing', async () => {
    const c = await createCampaign(owner());
    assert.equal((await transition(owner(), c.id, 'completed')).statusCode, 409);
    assert.equal((await transition(owner(), c.id, 'paused')).statusCode, 409);
    assert.deepEqual(await forCampaign(EVENTS.campaignCompleted, c.id), []);
    const before = (await eventsOf(kit, tenant.accountId, EVENTS.campaignCreated)).length;
    assert.equal((await owner().inject({ method: 'POST', url: '/v1/campaigns/campaigns', payload: { ...spring, startDate: '2027-12-01' } })).statusCode, 422);
    assert.equal((await eventsOf(kit, tenant.accountId, EVENTS.campaignCreated)).length, before);
  });

  test('a transaction that rolls back leaves neither the change nor its event', async () => {
    const c = await createCampaign(owner());
    const store = internals(kit).campaigns;
    await assert.rejects(
      kit.kernel.tenancy.withTenant(tenant.accountId, async (db) => {
        await store.transition(db, c.id, 'active');
        assert.equal((await db('domain_events').where({ type: EVENTS.campaignActivated, aggregate_id: c.id }).count<{ count: string }[]>())[0]!.count, '1', 'published inside the transaction');
        throw new Error('abort after publishing');
      }),
      /abort after publishing/,
    );
    assert.deepEqual(await forCampaign(EVENTS.campaignActivated, c.id), []);
    assert.equal((await owner().inject({ method: 'GET', url: `/v1/campaigns/campaigns/${c.id}` })).json().status, 'planning');
    await assert.rejects(
      kit.kernel.tenancy.withTenant(tenant.accountId, async (db) => {
        await store.create(db, tenant.accountId, { ...spring, name: 'Rolled back', description: '', goals: [] });
        throw new Error('abort after create');
      }),
      /abort after create/,
    );
    assert.ok(!(await eventsOf(kit, tenant.accountId, EVENTS.campaignCreated)).some((e) => e.name === 'Rolled back'));
  });
});
