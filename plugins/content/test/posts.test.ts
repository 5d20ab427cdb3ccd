import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { POST_EVENTS } from '../src/contracts.js';
import { assertProblem, createCampaign, eventsOf, useTenantKit } from './fixtures/kit.js';
import { MEDIA, upload } from './fixtures/media.js';
import { MEDIA_FILES } from './fixtures/media-files.js';
import { createPost, patchPost, POSTS, type Post } from './fixtures/posts.js';

describe('posts REST: content, versions, variants', () => {
  const t = useTenantKit({ campaigns: true });
  const { owner } = t;
  const get = (id: string) => owner().inject({ method: 'GET', url: `${POSTS}/${id}` });

  test('write, read, change: every change of content is a new version, with the ETag naming it', async () => {
    const created = await createPost(owner(), { title: 'Launch', text: 'Our new #CaféLatte, says @bob', thread: [{ text: 'More soon' }], firstComment: 'Link in bio' });
    assert.equal(created.version, 1);
    assert.deepEqual([created.approvalStatus, created.deliveryStatus, created.campaignId], ['draft', 'unscheduled', null]);
    assert.deepEqual(created.thread, [{ text: 'More soon', media: [] }]);
    assert.deepEqual([created.hashtags, created.mentions], [['CaféLatte'], ['bob']]);

    const read = await get(created.id);
    assert.equal(read.statusCode, 200);
    assert.equal(read.headers.etag, '"1"');
    assert.deepEqual(read.json(), created);

    const changed = await patchPost(owner(), created.id, { text: 'Our new #CaféLatte is here' }, 1);
    assert.equal(changed.version, 2);
    assert.equal(changed.firstComment, 'Link in bio', 'fields left out are kept');
    assert.deepEqual(changed.mentions, []);
    const same = await patchPost(owner(), created.id, { text: 'Our new #CaféLatte is here' });
    assert.equal(same.version, 2, 'a change that changes nothing makes no version');

    const cleared = await patchPost(owner(), created.id, { firstComment: null, thread: [] });
    assert.deepEqual([cleared.version, cleared.firstComment, cleared.thread], [3, null, []]);
  });

  test('a stale If-Match is 412 POST_VERSION_MISMATCH and changes nothing; a malformed one is 400', async () => {
    const post = await createPost(owner());
    await patchPost(owner(), post.id, { text: 'Second' }, 1);
    const stale = await owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, headers: { 'if-match': '"1"' }, payload: { text: 'Lost update' } });
    const problem = assertProblem(stale, 412, 'POST_VERSION_MISMATCH');
    assert.deepEqual([problem.currentVersion, problem.expectedVersion], [2, 1]);
    assert.equal((await get(post.id)).json().text, 'Second');
    for (const url of [`${POSTS}/${post.id}/versions/1/restore`, `${POSTS}/${post.id}/submit`]) {
      assertProblem(await owner().inject({ method: 'POST', url, headers: { 'if-match': '"1"' } }), 412, 'POST_VERSION_MISMATCH');
    }
    assertProblem(await owner().inject({ method: 'DELETE', url: `${POSTS}/${post.id}`, headers: { 'if-match': '"7"' } }), 412, 'POST_VERSION_MISMATCH');
    assertProblem(await owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, headers: { 'if-match': 'W/"2"' }, payload: { text: 'x' } }), 400, 'IF_MATCH_INVALID');
    const star = await owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, headers: { 'if-match': '*' }, payload: { text: 'Third' } });
    assert.equal(star.statusCode, 200, star.body);
  });

  test('two concurrent edits of the same version: one wins, the other gets 412', async () => {
    const post = await createPost(owner());
    const results = await Promise.all(
      ['A', 'B'].map((text) => owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, headers: { 'if-match': '"1"' }, payload: { text } })),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 412]);
    const current = (await get(post.id)).json() as Post;
    assert.equal(current.version, 2);
    assert.equal(current.text, results.find((r) => r.statusCode === 200)!.json().text);
  });

  test('versions: listed newest first in pages, each readable; diff and restore', async () => {
    const post = await createPost(owner(), { title: 'T', text: 'one two three' });
    await patchPost(owner(), post.id, { text: 'one 2 three four' });
    await patchPost(owner(), post.id, { title: 'T2', variants: { mastodon: { text: 'toot' } } });

    const page1 = await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/versions?limit=2` });
    assert.equal(page1.statusCode, 200);
    assert.deepEqual(page1.json().items.map((v: { version: number }) => v.version), [3, 2]);
    const page2 = await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/versions?limit=2&cursor=${page1.json().nextCursor}` });
    assert.deepEqual([page2.json().items.map((v: { version: number }) => v.version), page2.json().nextCursor], [[1], null]);
    assertProblem(await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/versions?cursor=bm9wZQ` }), 400, 'INVALID_CURSOR');

    const v1 = await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/versions/1` });
    assert.deepEqual([v1.statusCode, v1.json().text, v1.json().version, v1.json().hashtags], [200, 'one two three', 1, []]);
    assert.equal((await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/versions/9` })).statusCode, 404);

    const diff = await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/diff?from=1&to=3` });
    assert.equal(diff.statusCode, 200, diff.body);
    assert.deepEqual(
      diff.json().changes.map((c: { path: string; change: string }) => [c.path, c.change]),
      [
        ['title', 'changed'],
        ['text', 'changed'],
        ['variants.mastodon.text', 'added'],
      ],
    );
    assert.deepEqual(diff.json().changes[1].diff.ops, [
      { op: 'equal', text: 'one ' },
      { op: 'delete', text: 'two' },
      { op: 'insert', text: '2' },
      { op: 'equal', text: ' three' },
      { op: 'insert', text: ' four' },
    ]);
    const lines = await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/diff?from=3&to=1&granularity=line` });
    assert.deepEqual(lines.json().changes[1].diff.ops, [
      { op: 'delete', text: 'one 2 three four' },
      { op: 'insert', text: 'one two three' },
    ]);
    assert.equal((await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/diff?from=1&to=4` })).statusCode, 404);

    const restored = await owner().inject({ method: 'POST', url: `${POSTS}/${post.id}/versions/1/restore`, headers: { 'if-match': '"3"' } });
    assert.equal(restored.statusCode, 200, restored.body);
    assert.deepEqual([restored.json().version, restored.json().title, restored.json().text, restored.json().variants], [4, 'T', 'one two three', {}]);
    assert.equal(restored.headers.etag, '"4"');
    const history = await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/versions` });
    assert.deepEqual(history.json().items.map((v: { version: number; restoredFrom: number | null }) => [v.version, v.restoredFrom]), [
      [4, 1],
      [3, null],
      [2, null],
      [1, null],
    ]);
    assert.equal((await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/versions/3` })).json().title, 'T2', 'old versions stay as they were');
    assertProblem(await owner().inject({ method: 'POST', url: `${POSTS}/${post.id}/versions/4/restore` }), 409, 'VERSION_IS_CURRENT');
  });

  test('versions are immutable in the database too', async () => {
    const post = await createPost(owner());
    await assert.rejects(
      t.kit.kernel.tenancy.withTenant(t.tenant.accountId, (db) => db('content_post_versions').where({ post_id: post.id }).update({ content: JSON.stringify({ text: 'forged' }) })),
      /immutable/,
    );
  });

  test('variants: set, read the effective draft, remove; each a new version', async () => {
    const post = await createPost(owner(), { title: 'Spring', text: 'Long text for the blog #Spring', firstComment: 'More in bio', article: { excerpt: 'News', tags: ['coffee'] } });
    const put = await owner().inject({ method: 'PUT', url: `${POSTS}/${post.id}/variants/mastodon`, headers: { 'if-match': '"1"' }, payload: { text: 'Short toot #Mastodon @ann@fosstodon.org', firstComment: null, article: null } });
    assert.equal(put.statusCode, 200, put.body);
    const withVariant = put.json() as Post;
    assert.equal(withVariant.version, 2);
    assert.deepEqual(withVariant.variants, { mastodon: { text: 'Short toot #Mastodon @ann@fosstodon.org', firstComment: null, article: null } });
    assert.deepEqual([withVariant.hashtags, withVariant.mentions], [['Spring', 'Mastodon'], ['ann@fosstodon.org']], 'variant texts count too');

    const masto = await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/variants/mastodon` });
    assert.equal(masto.statusCode, 200);
    assert.deepEqual(masto.json().effective, { title: 'Spring', text: 'Short toot #Mastodon @ann@fosstodon.org', media: [], thread: [], firstComment: null, article: null });
    const ghost = await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/variants/ghost` });
    assert.deepEqual([ghost.json().override, ghost.json().effective.text, ghost.json().effective.article], [null, 'Long text for the blog #Spring', { excerpt: 'News', tags: ['coffee'] }]);

    const ghostPut = await owner().inject({ method: 'PUT', url: `${POSTS}/${post.id}/variants/ghost`, payload: { title: 'Spring on the blog', article: { excerpt: 'Fresh' } } });
    assert.equal(ghostPut.json().version, 3);
    const ghostDraft = await owner().inject({ method: 'GET', url: `${POSTS}/${post.id}/variants/ghost` });
    assert.deepEqual([ghostDraft.json().effective.title, ghostDraft.json().effective.article], ['Spring on the blog', { excerpt: 'Fresh', tags: ['coffee'] }]);

    const removed = await owner().inject({ method: 'DELETE', url: `${POSTS}/${post.id}/variants/mastodon` });
    assert.equal(removed.statusCode, 200, removed.body);
    assert.deepEqual([removed.json().version, Object.keys(removed.json().variants)], [4, ['ghost']]);
    assert.equal((await owner().inject({ method: 'DELETE', url: `${POSTS}/${post.id}/variants/mastodon` })).statusCode, 404);
    assert.equal((await owner().inject({ method: 'PUT', url: `${POSTS}/${post.id}/variants/Not_A_Platform`, payload: { text: 'x' } })).statusCode, 400);
    assert.equal((await owner().inject({ method: 'PUT', url: `${POSTS}/${post.id}/variants/x`, payload: {} })).statusCode, 400, 'an empty override is refused');
  });

  test('at most 20 variants: 422 VARIANTS_TOO_MANY', async () => {
    const variants = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, { text: `v${i}` }]));
    const post = await createPost(owner(), { variants });
    assertProblem(await owner().inject({ method: 'PUT', url: `${POSTS}/${post.id}/variants/one-more`, payload: { text: 'x' } }), 422, 'VARIANTS_TOO_MANY');
  });

  test('media references must name the tenant\'s assets: 422 MEDIA_NOT_FOUND otherwise', async () => {
    const asset = await upload(owner(), MEDIA_FILES.png.bytes, MEDIA_FILES.png.type, { fileName: 'latte.png' });
    const post = await createPost(owner(), { media: [{ assetId: asset.id, altText: 'A latte' }], variants: { x: { media: [] } } });
    assert.deepEqual(post.media, [{ assetId: asset.id, altText: 'A latte' }]);
    const unknown = '00000000-0000-4000-8000-0000000000ff';
    const bad = await owner().inject({ method: 'POST', url: POSTS, payload: { text: 'x', thread: [{ text: 't', media: [{ assetId: unknown }] }] } });
    assert.deepEqual(assertProblem(bad, 422, 'MEDIA_NOT_FOUND').assetIds, [unknown]);
    assertProblem(await owner().inject({ method: 'PUT', url: `${POSTS}/${post.id}/variants/y`, payload: { media: [{ assetId: unknown }] } }), 422, 'MEDIA_NOT_FOUND');
    // The asset shown by the post's current version cannot be deleted from under it.
    assert.equal((await owner().inject({ method: 'DELETE', url: `${MEDIA}/${asset.id}` })).statusCode, 409);
  });

  test('campaign references are checked: 422 CAMPAIGN_NOT_FOUND; set, move and clear', async () => {
    const campaignId = await createCampaign(owner());
    const post = await createPost(owner(), { campaignId });
    assert.equal(post.campaignId, campaignId);
    const unknown = '00000000-0000-4000-8000-0000000000aa';
    assert.equal(assertProblem(await owner().inject({ method: 'POST', url: POSTS, payload: { text: 'x', campaignId: unknown } }), 422, 'CAMPAIGN_NOT_FOUND').campaignId, unknown);
    assertProblem(await owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, payload: { campaignId: unknown } }), 422, 'CAMPAIGN_NOT_FOUND');
    const theirs = await createCampaign((await t.kit.createTenant()).as(['*']), 'Theirs');
    assertProblem(await owner().inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, payload: { campaignId: theirs } }), 422, 'CAMPAIGN_NOT_FOUND');
    const cleared = await patchPost(owner(), post.id, { campaignId: null });
    assert.deepEqual([cleared.campaignId, cleared.version], [null, 1], 'the campaign is not content: no new version');
  });

  test('delete removes the post and its versions', async () => {
    const post = await createPost(owner());
    await patchPost(owner(), post.id, { text: 'v2' });
    const del = await owner().inject({ method: 'DELETE', url: `${POSTS}/${post.id}` });
    assert.equal(del.statusCode, 204);
    assert.equal((await get(post.id)).statusCode, 404);
    const left = await t.kit.kernel.tenancy.withTenant(t.tenant.accountId, (db) => db('content_post_versions').where({ post_id: post.id }).count<{ count: string }[]>());
    assert.equal(left[0]!.count, '0');
    assert.equal((await owner().inject({ method: 'DELETE', url: `${POSTS}/${post.id}` })).statusCode, 404);
  });

  test('ContentVersionCreated for every version, with the fields that changed; none for a refused change', async () => {
    const author = owner();
    const post = await createPost(author, { text: 'a' });
    await patchPost(author, post.id, { text: 'b', title: 'T' });
    await author.inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, headers: { 'if-match': '"1"' }, payload: { text: 'c' } });
    await author.inject({ method: 'POST', url: `${POSTS}/${post.id}/versions/1/restore` });
    const events = (await eventsOf(t.kit, t.tenant.accountId, POST_EVENTS.contentVersionCreated)).filter((e) => e.postId === post.id);
    const actor = author.principal.id;
    assert.deepEqual(events, [
      { postId: post.id, version: 1, restoredFrom: null, authorId: actor, changed: ['title', 'text', 'media', 'thread', 'firstComment', 'article', 'variants'] },
      { postId: post.id, version: 2, restoredFrom: null, authorId: actor, changed: ['title', 'text'] },
      { postId: post.id, version: 3, restoredFrom: 1, authorId: actor, changed: ['title', 'text'] },
    ]);
  });

  test('reads need posts:read, writes posts:write; another tenant\'s post is not found', async () => {
    const post = await createPost(owner());
    const reader = t.tenant.as(['content.posts:read']);
    assert.equal((await reader.inject({ method: 'GET', url: `${POSTS}/${post.id}` })).statusCode, 200);
    assert.equal((await reader.inject({ method: 'GET', url: `${POSTS}/${post.id}/diff?from=1&to=1` })).statusCode, 200);
    for (const req of [
      { method: 'POST' as const, url: POSTS, payload: { text: 'x' } },
      { method: 'PATCH' as const, url: `${POSTS}/${post.id}`, payload: { text: 'x' } },
      { method: 'PUT' as const, url: `${POSTS}/${post.id}/variants/x`, payload: { text: 'x' } },
      { method: 'POST' as const, url: `${POSTS}/${post.id}/versions/1/restore` },
      { method: 'DELETE' as const, url: `${POSTS}/${post.id}` },
    ]) {
      assert.equal((await reader.inject(req)).statusCode, 403, `${req.method} ${req.url}`);
    }
    const other = (await t.kit.createTenant()).as(['*']);
    for (const url of [`${POSTS}/${post.id}`, `${POSTS}/${post.id}/versions`, `${POSTS}/${post.id}/versions/1`, `${POSTS}/${post.id}/variants/x`]) {
      assert.equal((await other.inject({ method: 'GET', url })).statusCode, 404, url);
    }
    assert.equal((await other.inject({ method: 'PATCH', url: `${POSTS}/${post.id}`, payload: { text: 'mine now' } })).statusCode, 404);
    assert.equal((await get(post.id)).json().text, post.text);
  });
});
