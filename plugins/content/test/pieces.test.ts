import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { EVENTS } from '../src/contracts.js';
import { analyzeContent } from '../src/domain/text-metrics-analysis.js';
import { eventsOf, useTenantKit } from './fixtures/kit.js';
import { article, createPiece, pieceIn, PIECES, repurposeInto, type Piece } from './fixtures/pieces.js';

describe('content pieces REST', () => {
  const t = useTenantKit();
  const { owner } = t;
  const get = async (id: string) => owner().inject({ method: 'GET', url: `${PIECES}/${id}` });
  const patch = (id: string, payload: Record<string, unknown>) => owner().inject({ method: 'PATCH', url: `${PIECES}/${id}`, payload });

  test('write a piece: stored as a draft with its scores and the breakdown behind them', async () => {
    const author = t.tenant.as(['content.pieces:write', 'content.pieces:read']);
    const res = await author.inject({ method: 'POST', url: PIECES, payload: { ...article, keywords: ['content marketing', ' Content  Marketing ', 'teams'] } });
    assert.equal(res.statusCode, 201, res.body);
    const piece = res.json() as Piece;
    assert.equal(res.headers.location, `${PIECES}/${piece.id}`);
    assert.deepEqual([piece.status, piece.parentId, piece.campaignId, piece.generatedBy, piece.createdBy], ['draft', null, null, 'user', author.principal.id]);
    assert.deepEqual(piece.keywords, ['content marketing', 'teams']);
    const expected = analyzeContent({ ...article, type: 'blog', keywords: ['content marketing', 'teams'] });
    assert.deepEqual(piece.scores, expected.scores);
    assert.deepEqual(piece.analysis, { metrics: expected.metrics, breakdown: expected.breakdown });
    assert.deepEqual((await get(piece.id)).json(), piece);
  });

  test('every change computes the scores again', async () => {
    const piece = await createPiece(owner());
    const res = await patch(piece.id, { metaDescription: null, body: 'Short.' });
    assert.equal(res.statusCode, 200, res.body);
    const changed = res.json() as Piece;
    const expected = analyzeContent({ ...article, type: 'blog', metaDescription: null, body: 'Short.' });
    assert.deepEqual(changed.scores, expected.scores);
    assert.ok(changed.scores.seo < piece.scores.seo, 'losing the meta description and the headings lowers SEO');
    assert.equal(changed.analysis.breakdown.seo?.[0]?.id, 'metaDescriptionLength');
    assert.equal(changed.title, article.title, 'what the change does not name stays');
  });

  test('threads and carousels are their parts', async () => {
    const thread = await createPiece(owner(), { type: 'thread', platform: 'x', body: undefined, metaTitle: null, metaDescription: null, parts: ['First post.', 'Second post.'] });
    assert.deepEqual([thread.parts, thread.body], [['First post.', 'Second post.'], 'First post.\n\nSecond post.']);
    const both = await owner().inject({ method: 'POST', url: PIECES, payload: { ...article, type: 'thread', parts: ['x'] } });
    assert.deepEqual([both.statusCode, both.json().code], [422, 'PIECE_BODY_AND_PARTS']);
    const parts = await owner().inject({ method: 'POST', url: PIECES, payload: { ...article, body: undefined, parts: ['x'] } });
    assert.deepEqual([parts.statusCode, parts.json().code], [422, 'PIECE_PARTS_NOT_ALLOWED']);
    const none = await owner().inject({ method: 'POST', url: PIECES, payload: { type: 'email', title: 'No body' } });
    assert.deepEqual([none.statusCode, none.json().code], [422, 'PIECE_BODY_REQUIRED']);
  });

  test('only a draft changes: 409 PIECE_NOT_EDITABLE in review, approved or rejected', async () => {
    for (const status of ['review', 'approved', 'rejected']) {
      const piece = await pieceIn(t.tenant, status);
      const res = await patch(piece.id, { title: 'Late change' });
      assert.equal(res.statusCode, 409, status);
      assert.deepEqual([res.json().code, res.json().pieceStatus], ['PIECE_NOT_EDITABLE', status]);
      assert.equal((await get(piece.id)).json().title, article.title);
    }
  });

  test('delete a piece; a piece with repurposed children is 409 PIECE_HAS_CHILDREN', async () => {
    const lone = await createPiece(owner());
    assert.equal((await owner().inject({ method: 'DELETE', url: `${PIECES}/${lone.id}` })).statusCode, 204);
    assert.equal((await get(lone.id)).statusCode, 404);
    const parent = await createPiece(owner());
    const [child] = await repurposeInto(owner(), parent.id, [{ type: 'social_post', platform: 'x' }]);
    const refused = await owner().inject({ method: 'DELETE', url: `${PIECES}/${parent.id}` });
    assert.deepEqual([refused.statusCode, refused.json().code], [409, 'PIECE_HAS_CHILDREN']);
    assert.equal((await owner().inject({ method: 'DELETE', url: `${PIECES}/${child!.id}` })).statusCode, 204);
    assert.equal((await owner().inject({ method: 'DELETE', url: `${PIECES}/${parent.id}` })).statusCode, 204);
  });

  test('unknown and other tenants\' pieces are 404', async () => {
    const theirs = await createPiece((await t.kit.createTenant()).as(['*']));
    for (const id of [randomUUID(), theirs.id]) {
      assert.equal((await get(id)).statusCode, 404);
      assert.equal((await patch(id, { title: 'x' })).statusCode, 404);
      assert.equal((await owner().inject({ method: 'DELETE', url: `${PIECES}/${id}` })).statusCode, 404);
    }
  });

  test('ContentPieceCreated is published with the piece', async () => {
    const events = t.tenant.accountId;
    const piece = await createPiece(owner(), { platform: 'linkedin' });
    const found = (await eventsOf(t.kit, events, EVENTS.contentPieceCreated)).filter((e) => e.pieceId === piece.id);
    assert.deepEqual(found, [{ pieceId: piece.id, type: 'blog', title: article.title, platform: 'linkedin', parentId: null, campaignId: null }]);
    const failed = await owner().inject({ method: 'POST', url: PIECES, payload: { ...article, title: 'Never made', parts: ['x'] } });
    assert.equal(failed.statusCode, 422);
    assert.equal((await eventsOf(t.kit, events, EVENTS.contentPieceCreated)).filter((e) => e.title === 'Never made').length, 0);
  });

  test('the database refuses what the domain refuses, for writers that skip it', async () => {
    const piece = await createPiece(owner());
    const write = (change: Record<string, unknown>) => t.kit.kernel.tenancy.withTenant(t.tenant.accountId, (db) => db('content_pieces').where({ id: piece.id }).update(change));
    await assert.rejects(write({ quality_score: 101 }), /check constraint/);
    await assert.rejects(write({ status: 'published' }), /check constraint/);
    await assert.rejects(write({ status: 'approved' }), (err: { constraint?: string }) => err.constraint === 'content_pieces_review_check');
    await assert.rejects(write({ platform: 'Not A Platform' }), /check constraint/);
  });

  test('reads need pieces:read, writes pieces:write', async () => {
    const piece = await createPiece(owner());
    const reader = t.tenant.as(['content.pieces:read']);
    assert.equal((await reader.inject({ method: 'GET', url: `${PIECES}/${piece.id}` })).statusCode, 200);
    assert.equal((await reader.inject({ method: 'GET', url: PIECES })).statusCode, 200);
    for (const req of [
      { method: 'POST' as const, url: PIECES, payload: article },
      { method: 'PATCH' as const, url: `${PIECES}/${piece.id}`, payload: { title: 'x' } },
      { method: 'DELETE' as const, url: `${PIECES}/${piece.id}` },
      { method: 'POST' as const, url: `${PIECES}/${piece.id}/repurpose`, payload: { targets: [{ type: 'email' }] } },
      { method: 'POST' as const, url: `${PIECES}/${piece.id}/transitions`, payload: { to: 'review' } },
    ]) {
      const res = await reader.inject(req);
      assert.equal(res.statusCode, 403, `${req.method} ${req.url}`);
      assert.equal(res.json().code, 'PERMISSION_DENIED');
    }
    assert.equal((await t.tenant.as(['content.templates:read']).inject({ method: 'GET', url: `${PIECES}/${piece.id}` })).statusCode, 403);
  });

  test('a retried create with the same Idempotency-Key makes one piece and answers the same', async () => {
    const key = randomUUID();
    const caller = owner(); // keys are scoped to the principal
    const send = () => caller.inject({ method: 'POST', url: PIECES, headers: { 'idempotency-key': key }, payload: { ...article, title: `Once ${key}` } });
    const [first, again] = [await send(), await send()];
    assert.equal(first.statusCode, 201, first.body);
    assert.deepEqual([again.statusCode, again.json().id], [201, first.json().id]);
    const all = (await owner().inject({ method: 'GET', url: `${PIECES}?limit=200` })).json().items as Piece[];
    assert.equal(all.filter((p) => p.title === `Once ${key}`).length, 1);
  });

  test('every template, piece and analysis route is described in /openapi.json', async () => {
    const doc = (await t.kit.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const [path, methods] of Object.entries({
      '/v1/content/templates': ['get', 'post'],
      '/v1/content/templates/{templateId}': ['get', 'patch', 'delete'],
      '/v1/content/templates/{templateId}/render': ['post'],
      '/v1/content/pieces': ['get', 'post'],
      '/v1/content/pieces/{pieceId}': ['get', 'patch', 'delete'],
      '/v1/content/pieces/{pieceId}/transitions': ['post'],
      '/v1/content/pieces/{pieceId}/repurpose': ['post'],
      '/v1/content/pieces/{pieceId}/chain': ['get'],
      '/v1/content/analyze': ['post'],
    })) {
      for (const method of methods) assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
    }
  });

  test('POST /analyze scores any text without saving it', async () => {
    const before = (await owner().inject({ method: 'GET', url: `${PIECES}?limit=200` })).json().items.length as number;
    const body = { type: 'blog', title: article.title, body: article.body, keywords: article.keywords, metaTitle: article.metaTitle, metaDescription: article.metaDescription };
    const res = await t.tenant.as(['content.pieces:read']).inject({ method: 'POST', url: '/v1/content/analyze', payload: body });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), analyzeContent({ ...article, type: 'blog' }));
    const minimal = await owner().inject({ method: 'POST', url: '/v1/content/analyze', payload: { type: 'social_post', body: 'Hello world, this is a post.' } });
    assert.equal(minimal.statusCode, 200, minimal.body);
    assert.equal(minimal.json().scores.seo, 0, 'no keywords, no SEO');
    assert.equal((await owner().inject({ method: 'GET', url: `${PIECES}?limit=200` })).json().items.length, before);
    assert.equal((await owner().inject({ method: 'POST', url: '/v1/content/analyze', payload: { type: 'poem', body: 'x' } })).statusCode, 400);
    assert.equal((await t.tenant.as(['content.templates:read']).inject({ method: 'POST', url: '/v1/content/analyze', payload: body })).statusCode, 403);
  });
});
