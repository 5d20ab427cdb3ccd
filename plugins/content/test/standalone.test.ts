import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertProblem, useTenantKit } from './fixtures/kit.js';
import { article, createPiece, PIECES } from './fixtures/pieces.js';
import { createPost, POSTS } from './fixtures/posts.js';

describe('content without the campaigns and social plugins', () => {
  const { owner } = useTenantKit();

  test('posts work; a campaign reference is 409 CAMPAIGNS_UNAVAILABLE', async () => {
    const post = await createPost(owner(), { text: 'Standalone #post' });
    assert.equal(post.campaignId, null);
    const campaignId = '00000000-0000-4000-8000-0000000000c1';
    assert.equal(assertProblem(await owner().inject({ method: 'POST', url: POSTS, payload: { text: 'x', campaignId } }), 409, 'CAMPAIGNS_UNAVAILABLE').campaignId, campaignId);
    assertProblem(await owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, payload: { campaignId } }), 409, 'CAMPAIGNS_UNAVAILABLE');
    assert.equal((await owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, payload: { campaignId: null, text: 'v2' } })).statusCode, 200);
  });

  test('pieces work; a campaign reference is 409 CAMPAIGNS_UNAVAILABLE', async () => {
    const piece = await createPiece(owner());
    assert.equal(piece.campaignId, null);
    const campaignId = '00000000-0000-4000-8000-0000000000c2';
    assertProblem(await owner().inject({ method: 'POST', url: PIECES, payload: { ...article, campaignId } }), 409, 'CAMPAIGNS_UNAVAILABLE');
    assertProblem(await owner().inject({ method: 'PATCH', url: `${PIECES}/${piece.id}`, payload: { campaignId } }), 409, 'CAMPAIGNS_UNAVAILABLE');
  });

  test('scheduling is 409 SCHEDULING_UNAVAILABLE; the schedule and calendar read empty', async () => {
    const post = await createPost(owner());
    const body = { targets: [{ socialAccountId: '00000000-0000-4000-8000-0000000000a1' }], at: '2027-03-28T09:00:00Z' };
    assertProblem(await owner().inject({ method: 'POST', url: `${POSTS}/${post.id}/schedule`, payload: body }), 409, 'SCHEDULING_UNAVAILABLE');
    assertProblem(await owner().inject({ method: 'DELETE', url: `${POSTS}/${post.id}/schedule` }), 409, 'SCHEDULING_UNAVAILABLE');
    assertProblem(await owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}/schedule`, payload: { at: body.at } }), 409, 'SCHEDULING_UNAVAILABLE');
    assert.deepEqual((await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/schedule` })).json(), { items: [] });
    const cal = await owner().inject({ method: 'GET', url: '/v1/content/calendar?from=2027-03-01T00:00:00Z&to=2027-04-01T00:00:00Z&timeZone=UTC' });
    assert.deepEqual(cal.json().days, []);
  });
});
