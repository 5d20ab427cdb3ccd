import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { definePlugin, problems, uuid } from '@markettina/sdk';
import { startTestKernel, type TestKernel, type TestTenant } from '@markettina/sdk/testing';
import { campaignsServices } from '../src/contracts.js';
import { campaignsPlugin } from '../src/plugin.js';
import { BASE, campaignIn, createCampaign } from './fixtures/kit.js';

/** A stand-in for a plugin that spends campaign tokens on the work it does (e.g. writing content). */
const studio = definePlugin({
  manifest: { id: 'studio', version: '1.0.0', kernel: '^1.0.0', requires: [campaignsServices.campaigns], permissions: [{ id: 'studio.drafts:write', description: 'Write drafts' }] },
  register(reg) {
    reg.routes(async (app) => {
      app.post(
        '/drafts',
        {
          config: { permission: 'studio.drafts:write' },
          schema: {
            body: { type: 'object', properties: { campaignId: uuid, tokens: { type: 'integer', minimum: 1 }, fail: { type: 'boolean' } }, required: ['campaignId', 'tokens'], additionalProperties: false },
            response: { 200: { type: 'object', properties: { spentTokens: { type: 'integer' } }, required: ['spentTokens'] } },
          },
        },
        async (req) => {
          const body = req.body as { campaignId: string; tokens: number; fail?: boolean };
          const campaigns = req.ctx.get(campaignsServices.campaigns);
          if (!(await campaigns.get(body.campaignId))) throw problems.notFound('campaign');
          const after = await campaigns.spend(body.campaignId, body.tokens);
          // The work after the spend fails: the spend must not survive it.
          if (body.fail) throw problems.conflict('DRAFT_FAILED', 'the draft could not be written');
          return { spentTokens: after.spentTokens };
        },
      );
    });
  },
});

describe('the campaigns directory other plugins use', () => {
  let kit: TestKernel;
  let tenant: TestTenant;
  before(async () => {
    kit = await startTestKernel({ plugins: [campaignsPlugin, studio] });
    tenant = await kit.createTenant();
  });
  after(() => kit?.close());

  const owner = () => tenant.as(['*']);
  const draft = (campaignId: string, tokens: number, fail = false) => owner().inject({ method: 'POST', url: '/v1/studio/drafts', payload: { campaignId, tokens, fail } });
  const spent = async (id: string) => (await owner().inject({ method: 'GET', url: `${BASE}/${id}` })).json().spentTokens as number;

  test('spending takes tokens from an active campaign, up to its budget and no further', async () => {
    const c = await campaignIn(owner(), 'active', { budgetTokens: 100 });
    assert.equal((await draft(c.id, 60)).json().spentTokens, 60);
    const over = await draft(c.id, 41);
    assert.equal(over.statusCode, 422);
    assert.equal(over.json().code, 'CAMPAIGN_BUDGET_EXCEEDED');
    assert.equal((await draft(c.id, 40)).json().spentTokens, 100);
    assert.equal(await spent(c.id), 100);
  });

  test('a spend rolls back with the work that failed after it', async () => {
    const c = await campaignIn(owner(), 'active');
    assert.equal((await draft(c.id, 10, true)).statusCode, 409);
    assert.equal(await spent(c.id), 0);
  });

  test('only an active campaign can be spent from', async () => {
    for (const status of ['planning', 'paused', 'completed']) {
      const c = await campaignIn(owner(), status);
      const res = await draft(c.id, 1);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'CAMPAIGN_NOT_ACTIVE');
    }
  });

  test('another tenant\'s campaign is not found', async () => {
    const theirs = await campaignIn((await kit.createTenant()).as(['*']), 'active');
    assert.equal((await draft(theirs.id, 1)).statusCode, 404);
    const mine = await createCampaign(owner());
    assert.equal((await draft(mine.id, 1)).statusCode, 409, 'a campaign of the caller is found');
  });
});
