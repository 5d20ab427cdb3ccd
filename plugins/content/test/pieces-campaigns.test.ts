import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { assertProblem, createCampaign, useTenantKit } from './fixtures/kit.js';
import { article, createPiece, PIECES, repurposeInto, type Piece } from './fixtures/pieces.js';

describe('pieces and campaigns, with the campaigns plugin installed', () => {
  const t = useTenantKit({ campaigns: true });
  const { owner } = t;

  test('a piece names a campaign of its tenant; children of a repurposing inherit it', async () => {
    const campaignId = await createCampaign(owner());
    const piece = await createPiece(owner(), { campaignId });
    assert.equal(piece.campaignId, campaignId);
    const [child] = await repurposeInto(owner(), piece.id, [{ type: 'social_post', platform: 'x' }]);
    assert.equal(child!.campaignId, campaignId);
    const listed = (await owner().inject({ method: 'GET', url: `${PIECES}?campaignId=${campaignId}` })).json().items as Piece[];
    assert.deepEqual(listed.map((p) => p.id).sort(), [piece.id, child!.id].sort());
  });

  test('an unknown or another tenant\'s campaign is 422 CAMPAIGN_NOT_FOUND, on create and on change', async () => {
    const theirs = await createCampaign((await t.kit.createTenant()).as(['*']));
    for (const campaignId of [randomUUID(), theirs]) {
      const res = await owner().inject({ method: 'POST', url: PIECES, payload: { ...article, campaignId } });
      assert.deepEqual([res.statusCode, res.json().code, res.json().campaignId], [422, 'CAMPAIGN_NOT_FOUND', campaignId]);
    }
    const piece = await createPiece(owner());
    assertProblem(await owner().inject({ method: 'PATCH', url: `${PIECES}/${piece.id}`, payload: { campaignId: theirs } }), 422, 'CAMPAIGN_NOT_FOUND');
    const cleared = await owner().inject({ method: 'PATCH', url: `${PIECES}/${piece.id}`, payload: { campaignId: null } });
    assert.equal(cleared.statusCode, 200, 'clearing needs no campaign');
  });
});
