import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { measureText } from '@markettina/sdk';
import { EVENTS } from '../src/contracts.js';
import { MAX_CHAIN_DEPTH } from '../src/domain/pieces-chain.js';
import { eventsOf, useTenantKit } from './fixtures/kit.js';
import { createPiece, PIECES, repurposeInto, type Piece } from './fixtures/pieces.js';

interface Node {
  id: string;
  parentId: string | null;
  title: string;
  truncated: boolean;
  children: Node[];
}

const longBlog = {
  body: `# Why small teams win\n\n${Array.from({ length: 12 }, (_, i) => `Paragraph ${i} opens with a clear point about content marketing. It then adds a detail that supports the point.`).join('\n\n')}`,
};

describe('repurposing chains REST', () => {
  const t = useTenantKit();
  const { owner } = t;
  const chain = (id: string, depth?: number) => owner().inject({ method: 'GET', url: `${PIECES}/${id}/chain${depth ? `?depth=${depth}` : ''}` });
  const move = (id: string, parentId: string | null) => owner().inject({ method: 'PATCH', url: `${PIECES}/${id}`, payload: { parentId } });

  /** A chain root → c1 → c2 → ... of `length` pieces below the root, built by repurposing. */
  async function line(length: number): Promise<Piece[]> {
    const pieces = [await createPiece(owner(), longBlog)];
    for (let i = 0; i < length; i++) pieces.push((await repurposeInto(owner(), pieces.at(-1)!.id, [{ type: 'email' }]))[0]!);
    return pieces;
  }

  test('repurpose a blog into a thread, a social post and an email, under it in its chain', async () => {
    const blog = await createPiece(owner(), longBlog);
    const res = await owner().inject({
      method: 'POST',
      url: `${PIECES}/${blog.id}/repurpose`,
      payload: { targets: [{ type: 'thread', platform: 'x' }, { type: 'social_post', platform: 'bluesky' }, { type: 'email' }] },
    });
    assert.equal(res.statusCode, 201, res.body);
    const { parentId, items } = res.json() as { parentId: string; items: Piece[] };
    assert.equal(parentId, blog.id);
    const [thread, post, email] = items as [Piece, Piece, Piece];
    assert.deepEqual(items.map((c) => [c.type, c.platform, c.parentId, c.status]), [
      ['thread', 'x', blog.id, 'draft'],
      ['social_post', 'bluesky', blog.id, 'draft'],
      ['email', null, blog.id, 'draft'],
    ]);
    assert.ok(thread.parts.length > 2 && thread.parts.every((p) => measureText(p, { unit: 'graphemes', urlLength: 23 }) <= 280));
    assert.ok(measureText(post.body, { unit: 'graphemes' }) <= 300);
    assert.match(post.body, /#ContentMarketing$/);
    assert.equal(email.title, blog.metaTitle);
    for (const child of items) {
      assert.deepEqual(child.keywords, blog.keywords);
      assert.ok(child.scores.readability > 0, 'children are scored like any piece');
    }

    const created = (await eventsOf(t.kit, t.tenant.accountId, EVENTS.contentPieceCreated)).filter((e) => e.parentId === blog.id);
    assert.deepEqual(created.map((e) => e.pieceId), items.map((c) => c.id));
    const repurposed = (await eventsOf(t.kit, t.tenant.accountId, EVENTS.contentRepurposed)).filter((e) => e.parentId === blog.id);
    assert.deepEqual(repurposed, [{ parentId: blog.id, children: items.map((c) => ({ pieceId: c.id, type: c.type, platform: c.platform })) }]);
  });

  test('a target the rules cannot serve is 422 and creates nothing', async () => {
    const blog = await createPiece(owner());
    for (const [target, code] of [
      [{ type: 'thread', platform: 'myspace' }, 'REPURPOSE_LENGTH_REQUIRED'],
      [{ type: 'thread', platform: 'linkedin' }, 'REPURPOSE_NOT_SUPPORTED'],
    ] as const) {
      const res = await owner().inject({ method: 'POST', url: `${PIECES}/${blog.id}/repurpose`, payload: { targets: [{ type: 'email' }, target] } });
      assert.deepEqual([res.statusCode, res.json().code], [422, code]);
    }
    const tree = (await chain(blog.id)).json().tree as Node;
    assert.deepEqual(tree.children, [], 'the email of the refused call was rolled back');
    assert.equal((await owner().inject({ method: 'POST', url: `${PIECES}/${randomUUID()}/repurpose`, payload: { targets: [{ type: 'email' }] } })).statusCode, 404);
  });

  test('the chain: ancestors from the root, descendants nested and cut at the depth asked', async () => {
    const [root, c1, c2, c3] = await line(3);
    const [sibling] = await repurposeInto(owner(), root!.id, [{ type: 'social_post', platform: 'x' }]);
    const res = await chain(c1!.id, 1);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { ancestors: { id: string }[]; tree: Node; complete: boolean };
    assert.deepEqual(body.ancestors.map((a) => a.id), [root!.id]);
    assert.deepEqual([body.tree.id, body.tree.children.map((c) => c.id), body.tree.children[0]!.truncated], [c1!.id, [c2!.id], true]);
    assert.equal(body.complete, true);
    const full = (await chain(root!.id, 5)).json() as { ancestors: unknown[]; tree: Node };
    assert.deepEqual(full.ancestors, []);
    assert.deepEqual(full.tree.children.map((c) => c.id), [c1!.id, sibling!.id]);
    assert.equal(full.tree.children[0]!.children[0]!.children[0]!.id, c3!.id);
    assert.equal(full.tree.children[0]!.children[0]!.children[0]!.truncated, false);
    assert.equal((await chain(c3!.id)).json().ancestors.length, 3);
    assert.equal((await chain(randomUUID())).statusCode, 404);
    assert.equal((await chain(root!.id, MAX_CHAIN_DEPTH + 1)).statusCode, 400);
  });

  test('a piece cannot become its own ancestor: 409 PIECE_CHAIN_CYCLE', async () => {
    const [root, c1, c2] = await line(2);
    for (const [piece, parent] of [[root, c2], [root, root], [c1, c2]] as const) {
      const res = await move(piece!.id, parent!.id);
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().code, 'PIECE_CHAIN_CYCLE');
    }
    assert.equal((await move(c2!.id, root!.id)).json().parentId, root!.id, 'a move that keeps a tree is fine');
    assert.equal((await move(c2!.id, null)).json().parentId, null, 'and so is detaching');
    const missing = await move(c1!.id, randomUUID());
    assert.deepEqual([missing.statusCode, missing.json().code], [422, 'PIECE_PARENT_NOT_FOUND']);
    const theirs = await createPiece((await t.kit.createTenant()).as(['*']));
    assert.equal((await move(c1!.id, theirs.id)).json().code, 'PIECE_PARENT_NOT_FOUND', 'another tenant\'s piece is no parent');
  });

  test(`chains stop ${MAX_CHAIN_DEPTH} levels below the root: 409 PIECE_CHAIN_TOO_DEEP`, async () => {
    const pieces = await line(MAX_CHAIN_DEPTH);
    const deepest = pieces.at(-1)!;
    const res = await owner().inject({ method: 'POST', url: `${PIECES}/${deepest.id}/repurpose`, payload: { targets: [{ type: 'email' }] } });
    assert.deepEqual([res.statusCode, res.json().code], [409, 'PIECE_CHAIN_TOO_DEEP']);
    const [branch, leaf] = await line(1);
    const tooDeep = await move(branch!.id, deepest.id);
    assert.deepEqual([tooDeep.statusCode, tooDeep.json().code], [409, 'PIECE_CHAIN_TOO_DEEP'], 'what hangs under a moved piece counts');
    assert.equal((await move(leaf!.id, pieces.at(-2)!.id)).statusCode, 200);
  });

  test('the database refuses loops for writers that skip the domain', async () => {
    const [root, c1, c2] = await line(2);
    const write = (id: string, parentId: string) => t.kit.kernel.tenancy.withTenant(t.tenant.accountId, (db) => db('content_pieces').where({ id }).update({ parent_id: parentId }));
    await assert.rejects(write(root!.id, c2!.id), (err: { constraint?: string }) => err.constraint === 'content_pieces_no_cycle');
    await assert.rejects(write(c1!.id, c1!.id), (err: { constraint?: string }) => err.constraint === 'content_pieces_no_cycle');
    const id = randomUUID();
    const row = { id, parent_id: id, account_id: t.tenant.accountId, type: 'blog', title: 'x', body: 'x', quality_score: 0, readability_score: 0, seo_score: 0, analysis: '{}' };
    await assert.rejects(
      t.kit.kernel.tenancy.withTenant(t.tenant.accountId, (db) => db('content_pieces').insert(row)),
      (err: { constraint?: string }) => err.constraint === 'content_pieces_not_own_parent',
    );
    await assert.rejects(write(c1!.id, randomUUID()), (err: { constraint?: string }) => err.constraint === 'content_pieces_parent_fkey');
  });

  test('two moves racing to close a loop: one wins, the other is refused', async () => {
    const [a] = await line(0);
    const [b] = await line(0);
    // Each move alone keeps a tree; together (a under b, b under a) they would make a loop.
    const [first, second] = await Promise.all([move(a!.id, b!.id), move(b!.id, a!.id)]);
    assert.deepEqual([first.statusCode, second.statusCode].sort(), [200, 409]);
    const loser = first.statusCode === 409 ? first : second;
    assert.equal(loser.json().code, 'PIECE_CHAIN_CYCLE');
  });
});
