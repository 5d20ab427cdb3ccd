import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { campaignsPlugin } from '@markettina/plugin-campaigns';
import { startTestKernel, type TestKernel, type TestTenant } from '@markettina/sdk/testing';
import { contentPlugin } from '../src/plugin.js';
import { article, createPiece, PIECES, repurposeInto, type Piece } from './fixtures/pieces-kit.js';

const CAMPAIGNS = '/v1/campaigns/campaigns';
const spring = { name: 'Spring launch', startDate: '2027-03-01', endDate: '2027-03-31', budgetTokens: 500 };

describe('pieces and campaigns, with the campaigns plugin installed', () => {
  let kit: TestKernel;
  let tenant: TestTenant;
  before(async () => {
    kit = await startTestKernel({ plugins: [campaignsPlugin, contentPlugin] });
    tenant = await kit.createTenant();
  });
  after(() => kit?.close());

  const owner = () => tenant.as(['*']);
  const campaign = async (caller = owner()) => (await caller.inject({ method: 'POST', url: CAMPAIGNS, payload: spring })).json().id as string;

  test('a piece names a campaign of its tenant; children of a repurposing inherit it', async () => {
    const campaignId = await campaign();
    const piece = await createPiece(owner(), { campaignId });
    assert.equal(piece.campaignId, campaignId);
    const [child] = await repurposeInto(owner(), piece.id, [{ type: 'social_post', platform: 'x' }]);
    assert.equal(child!.campaignId, campaignId);
    const listed = (await owner().inject({ method: 'GET', url: `${PIECES}?campaignId=${campaignId}` })).json().items as Piece[];
    assert.deepEqual(listed.map((p) => p.id).sort(), [piece.id, child!.id].sort());
  });

  test('an unknown or another tenant\'s campaign is 422 CAMPAIGN_NOT_FOUND, on create and on change', async () => {
    const theirs = await campaign((await kit.createTenant()).as(['*']));
    for (const campaignId of [randomUUID(), theirs]) {
      const res = await owner().inject({ method: 'POST', url: PIECES, payload: { ...article, campaignId } });
      assert.deepEqual([res.statusCode, res.json().code, res.json().campaignId], [422, 'CAMPAIGN_NOT_FOUND', campaignId]);
    }
    const piece = await createPiece(owner());
    const change = await owner().inject({ method: 'PATCH', url: `${PIECES}/${piece.id}`, payload: { campaignId: theirs } });
    assert.deepEqual([change.statusCode, change.json().code], [422, 'CAMPAIGN_NOT_FOUND']);
    const cleared = await owner().inject({ method: 'PATCH', url: `${PIECES}/${piece.id}`, payload: { campaignId: null } });
    assert.equal(cleared.statusCode, 200, 'clearing needs no campaign');
  });
});

describe('pieces without the campaigns plugin', () => {
  let kit: TestKernel;
  let tenant: TestTenant;
  before(async () => {
    kit = await startTestKernel({ plugins: [contentPlugin] });
    tenant = await kit.createTenant();
  });
  after(() => kit?.close());

  test('content works; naming a campaign is 409 CAMPAIGNS_UNAVAILABLE', async () => {
    const piece = await createPiece(tenant.as(['*']));
    assert.equal(piece.campaignId, null);
    const res = await tenant.as(['*']).inject({ method: 'POST', url: PIECES, payload: { ...article, campaignId: randomUUID() } });
    assert.deepEqual([res.statusCode, res.json().code], [409, 'CAMPAIGNS_UNAVAILABLE']);
  });
});
