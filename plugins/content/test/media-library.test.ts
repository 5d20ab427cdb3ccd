import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { waitFor, type TestKernel, type TestTenant } from '@markettina/sdk/testing';
import { resolveMedia } from '../src/services/media.js';
import { MEDIA_FILES, mp4 } from './fixtures/media-files.js';
import { assertProblem, startContentKit, walkPages } from './fixtures/kit.js';
import { blobKeyOf, MEDIA, upload, type MediaAsset } from './fixtures/media.js';

/** A distinct valid PNG per call: the same image with a numbered tEXt chunk before IEND. */
let n = 0;
function uniquePng(): Buffer {
  const typeAndData = Buffer.from(`tEXtComment\0${++n}`, 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(typeAndData.length - 4);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  const iend = MEDIA_FILES.png.bytes.length - 12;
  return Buffer.concat([MEDIA_FILES.png.bytes.subarray(0, iend), length, typeAndData, crc, MEDIA_FILES.png.bytes.subarray(iend)]);
}

describe('media library: tags, filters, pages, deletion', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startContentKit();
  });
  after(() => kit.close());

  test('tags are normalised on upload and replaced by PATCH, with the alt text', async () => {
    const caller = (await kit.createTenant()).as();
    const asset = await upload(caller, uniquePng(), 'image/png', { fileName: 'a.png', tags: [' Summer ', 'summer', 'Launch  Day'], altText: ' A beach ' });
    assert.deepEqual(asset.tags, ['summer', 'launch day']);
    assert.equal(asset.altText, 'A beach');

    const patched = await caller.inject({ method: 'PATCH', url: `${MEDIA}/${asset.id}`, payload: { tags: ['Winter', 'launch day'], altText: null } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json().tags, ['winter', 'launch day']);
    assert.equal(patched.json().altText, null);
    assert.ok(patched.json().updatedAt >= asset.updatedAt);
    const altOnly = await caller.inject({ method: 'PATCH', url: `${MEDIA}/${asset.id}`, payload: { altText: 'Snow' } });
    assert.deepEqual([altOnly.json().altText, altOnly.json().tags], ['Snow', ['winter', 'launch day']], 'tags stay when not given');

    assertProblem(await caller.inject({ method: 'PATCH', url: `${MEDIA}/${asset.id}`, payload: { tags: ['  '] } }), 422, 'INVALID_MEDIA_TAG');
    assertProblem(await caller.inject({ method: 'PATCH', url: `${MEDIA}/${asset.id}`, payload: {} }), 400, 'VALIDATION_FAILED');
    assertProblem(await caller.inject({ method: 'PATCH', url: `${MEDIA}/${randomUUID()}`, payload: { altText: 'x' } }), 404, 'NOT_FOUND');
  });

  test('listing filters by type or its first part and by tag, newest first', async () => {
    const caller = (await kit.createTenant()).as();
    const png = await upload(caller, uniquePng(), 'image/png', { fileName: 'p.png', tags: ['Brand'] });
    const gif = await upload(caller, MEDIA_FILES.gif.bytes, 'image/gif', { fileName: 'g.gif' });
    const clip = await upload(caller, mp4(640, 360), 'video/mp4', { fileName: 'c.mp4', tags: ['brand'] });
    const ids = async (query: Record<string, string>) => {
      const res = await caller.inject({ method: 'GET', url: MEDIA, query });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json().items as MediaAsset[]).map((a) => a.id);
    };
    assert.deepEqual(await ids({}), [clip.id, gif.id, png.id]);
    assert.deepEqual(await ids({ type: 'image' }), [gif.id, png.id]);
    assert.deepEqual(await ids({ type: 'video' }), [clip.id]);
    assert.deepEqual(await ids({ type: 'image/png' }), [png.id]);
    assert.deepEqual(await ids({ type: 'image/webp' }), []);
    assert.deepEqual(await ids({ tag: ' BRAND ' }), [clip.id, png.id]);
    assert.deepEqual(await ids({ tag: 'brand', type: 'image' }), [png.id]);
    const listed = (await caller.inject({ method: 'GET', url: MEDIA, query: { tag: 'brand' } })).json().items as MediaAsset[];
    assert.deepEqual(listed.map((a) => a.tags), [['brand'], ['brand']]);
    assertProblem(await caller.inject({ method: 'GET', url: MEDIA, query: { type: 'image/%' } }), 400, 'VALIDATION_FAILED');
  });

  test('pages walk every asset exactly once; a forged cursor is 400', async () => {
    const caller = (await kit.createTenant()).as();
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await upload(caller, uniquePng(), 'image/png', { fileName: `${i}.png` })).id);
    const seen = await walkPages<MediaAsset>(caller, MEDIA, '', 3);
    assert.deepEqual(seen.map((a) => a.id), [...made].reverse());
    assertProblem(await caller.inject({ method: 'GET', url: MEDIA, query: { cursor: Buffer.from('["x","y"]').toString('base64url') } }), 400, 'INVALID_CURSOR');
  });

  test('deleting removes the asset at once and its blob right after the commit', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const asset = await upload(caller, uniquePng(), 'image/png');
    const key = await blobKeyOf(kit, tenant.accountId, asset.id);
    assert.ok(await kit.kernel.blobs.get(tenant.accountId, key));
    const res = await caller.inject({ method: 'DELETE', url: `${MEDIA}/${asset.id}` });
    assert.equal(res.statusCode, 204, res.body);
    assertProblem(await caller.inject({ method: 'GET', url: `${MEDIA}/${asset.id}` }), 404, 'NOT_FOUND');
    assertProblem(await caller.inject({ method: 'GET', url: `${MEDIA}/${asset.id}/content` }), 404, 'NOT_FOUND');
    await waitFor('the blob to be deleted', async () => ((await kit.kernel.blobs.get(tenant.accountId, key)) === undefined ? true : undefined), 15_000, 100);
    assertProblem(await caller.inject({ method: 'DELETE', url: `${MEDIA}/${asset.id}` }), 404, 'NOT_FOUND');
    // The same bytes can be uploaded again as a new asset.
    assert.notEqual((await upload(caller, MEDIA_FILES.lossyWebp.bytes, 'image/webp')).id, asset.id);
  });

  test('an asset a post shows, or a scheduled publication needs, is 409 MEDIA_IN_USE', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const inBase = await upload(caller, uniquePng(), 'image/png');
    const inVariantThread = await upload(caller, uniquePng(), 'image/png');
    const scheduledOnly = await upload(caller, uniquePng(), 'image/png');
    const oldVersionOnly = await upload(caller, uniquePng(), 'image/png');
    const postId = await post(kit, tenant, [
      { media: [{ assetId: oldVersionOnly.id }] },
      { media: [{ assetId: inBase.id }], thread: [], variants: { mastodon: { thread: [{ text: 't', media: [{ assetId: inVariantThread.id, altText: 'x' }] }] } } },
    ]);
    const scheduledPost = await post(kit, tenant, [{ media: [{ assetId: scheduledOnly.id }] }, { media: [] }], 1);

    for (const asset of [inBase, inVariantThread]) {
      const problem = assertProblem(await caller.inject({ method: 'DELETE', url: `${MEDIA}/${asset.id}` }), 409, 'MEDIA_IN_USE');
      assert.deepEqual(problem.postIds, [postId]);
    }
    assert.deepEqual(assertProblem(await caller.inject({ method: 'DELETE', url: `${MEDIA}/${scheduledOnly.id}` }), 409, 'MEDIA_IN_USE').postIds, [scheduledPost]);
    assert.equal((await caller.inject({ method: 'DELETE', url: `${MEDIA}/${oldVersionOnly.id}` })).statusCode, 204, 'an older version does not hold an asset');
    assert.equal((await caller.inject({ method: 'GET', url: `${MEDIA}/${inBase.id}` })).statusCode, 200, 'a refused delete changes nothing');

    await kit.kernel.tenancy.withTenant(tenant.accountId, (db) => db('content_post_schedules').where({ post_id: scheduledPost }).update({ status: 'published' }));
    assert.equal((await caller.inject({ method: 'DELETE', url: `${MEDIA}/${scheduledOnly.id}` })).statusCode, 204, 'once published, the file is no longer needed');
  });

  test('resolveMedia turns asset ids into publication media, or names the missing ones', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const a = await upload(caller, uniquePng(), 'image/png', { fileName: 'a.png', altText: 'Alt A' });
    const b = await upload(caller, mp4(320, 240), 'video/mp4', { fileName: 'b.mp4' });
    const other = await upload((await kit.createTenant()).as(), uniquePng(), 'image/png');
    const resolved = await kit.kernel.tenancy.withTenant(tenant.accountId, (db) => resolveMedia(db, [a.id, b.id, a.id]));
    assert.deepEqual(Object.fromEntries(resolved), {
      [a.id]: { blobKey: await blobKeyOf(kit, tenant.accountId, a.id), mimeType: 'image/png', sizeBytes: a.sizeBytes, fileName: 'a.png', altText: 'Alt A' },
      [b.id]: { blobKey: await blobKeyOf(kit, tenant.accountId, b.id), mimeType: 'video/mp4', sizeBytes: b.sizeBytes, fileName: 'b.mp4' },
    });
    const media = resolved.get(a.id)!;
    assert.ok(await kit.kernel.blobs.get(tenant.accountId, media.blobKey), 'the blob key reads the file');
    await assert.rejects(
      kit.kernel.tenancy.withTenant(tenant.accountId, (db) => resolveMedia(db, [a.id, other.id, 'not-a-uuid'])),
      (err: { code?: string; extensions?: { assetIds?: string[] } }) => err.code === 'MEDIA_NOT_FOUND' && JSON.stringify(err.extensions?.assetIds) === JSON.stringify([other.id, 'not-a-uuid']),
    );
  });
});

/**
 * A post with the given version contents (the last is current), written straight into the
 * posts tables; with `scheduledVersion`, a publication of that version is still scheduled.
 */
async function post(kit: TestKernel, tenant: TestTenant, versions: Record<string, unknown>[], scheduledVersion?: number): Promise<string> {
  return kit.kernel.tenancy.withTenant(tenant.accountId, async (db) => {
    const [row] = (await db('content_posts').insert({ account_id: tenant.accountId, version: versions.length }).returning('id')) as { id: string }[];
    for (const [i, content] of versions.entries()) {
      await db('content_post_versions').insert({ account_id: tenant.accountId, post_id: row!.id, version: i + 1, content: JSON.stringify({ text: 'hello', ...content }) });
    }
    if (scheduledVersion) {
      await db('content_post_schedules').insert({
        account_id: tenant.accountId,
        post_id: row!.id,
        version: scheduledVersion,
        social_account_id: randomUUID(),
        connector: 'mastodon',
        publication_id: randomUUID(),
        due_at: new Date(Date.now() + 3_600_000),
      });
    }
    return row!.id;
  });
}
