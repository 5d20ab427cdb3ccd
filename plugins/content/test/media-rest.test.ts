import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { TestKernel } from '@markettina/sdk/testing';
import { MEDIA_FILES, mp4 } from './fixtures/media-files.js';
import { assertProblem, startContentKit } from './fixtures/kit.js';
import { blobFiles, MEDIA, upload, uploadRequest, type MediaAsset } from './fixtures/media.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('media assets over REST: upload, sniffing, dedupe, download', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startContentKit({ media: { maxUploadBytes: 64 * 1024 } });
  });
  after(() => kit.close());

  test('every supported file is stored with its real type, size, hash and picture size', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const files = { ...MEDIA_FILES, video: { bytes: mp4(1280, 720), type: 'video/mp4', width: 1280, height: 720 } };
    for (const [name, f] of Object.entries(files)) {
      const res = await caller.inject(uploadRequest(f.bytes, f.type, { fileName: `${name}.bin`, altText: `the ${name}` }));
      assert.equal(res.statusCode, 201, `${name}: ${res.body}`);
      const asset = res.json() as MediaAsset;
      assert.equal(res.headers.location, `${MEDIA}/${asset.id}`);
      assert.deepEqual(
        { fileName: asset.fileName, mimeType: asset.mimeType, sizeBytes: asset.sizeBytes, sha256: asset.sha256, width: asset.width, height: asset.height, altText: asset.altText, tags: asset.tags },
        { fileName: `${name}.bin`, mimeType: f.type, sizeBytes: f.bytes.length, sha256: sha256(f.bytes), width: f.width, height: f.height, altText: `the ${name}`, tags: [] },
      );
      const read = await caller.inject({ method: 'GET', url: `${MEDIA}/${asset.id}` });
      assert.deepEqual(read.json(), asset);
    }
    assert.equal(blobFiles(kit, tenant.accountId).length, Object.keys(files).length);
  });

  test('the download is the same bytes, typed, with the SHA-256 as ETag, cacheable, and 304 when unchanged', async () => {
    const caller = (await kit.createTenant()).as();
    const asset = await upload(caller, MEDIA_FILES.jpeg.bytes, 'image/jpeg', { fileName: 'Café terrace.jpg' });
    const res = await caller.inject({ method: 'GET', url: `${MEDIA}/${asset.id}/content` });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.rawPayload, MEDIA_FILES.jpeg.bytes);
    assert.equal(res.headers['content-type'], 'image/jpeg');
    assert.equal(res.headers.etag, `"${asset.sha256}"`);
    assert.equal(res.headers['cache-control'], 'private, max-age=31536000, immutable');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['content-disposition'], `inline; filename="Caf_ terrace.jpg"; filename*=UTF-8''Caf%C3%A9%20terrace.jpg`);
    assert.equal(Number(res.headers['content-length']), MEDIA_FILES.jpeg.bytes.length);

    const again = await caller.inject({ method: 'GET', url: `${MEDIA}/${asset.id}/content`, headers: { 'if-none-match': `"other", "${asset.sha256}"` } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, `"${asset.sha256}"`);
    const changed = await caller.inject({ method: 'GET', url: `${MEDIA}/${asset.id}/content`, headers: { 'if-none-match': '"something-else"' } });
    assert.equal(changed.statusCode, 200);
  });

  test('identical bytes are stored once per tenant: the second upload returns the first asset', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const first = await upload(caller, MEDIA_FILES.gif.bytes, 'image/gif', { fileName: 'first.gif', tags: ['launch'] });
    const res = await caller.inject(uploadRequest(MEDIA_FILES.gif.bytes, 'image/gif', { fileName: 'second.gif', tags: ['other'] }));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), first, 'the existing asset, unchanged');
    assert.equal(res.headers.location, `${MEDIA}/${first.id}`);
    assert.equal(blobFiles(kit, tenant.accountId).length, 1, 'no second blob');

    const [a, b] = await Promise.all([0, 1].map(() => caller.inject(uploadRequest(MEDIA_FILES.lossyWebp.bytes, 'image/webp', { fileName: 'race.webp' }))));
    assert.deepEqual([a!.statusCode, b!.statusCode].sort(), [200, 201], 'concurrent identical uploads make one asset');
    assert.equal(a!.json().id, b!.json().id);
    assert.equal(blobFiles(kit, tenant.accountId).length, 2, 'the losing upload removed its blob');

    const other = (await kit.createTenant()).as();
    const theirs = await upload(other, MEDIA_FILES.gif.bytes, 'image/gif', { fileName: 'mine.gif' });
    assert.notEqual(theirs.id, first.id, 'another tenant gets an asset of its own');
  });

  test('a type the bytes contradict is 422 MEDIA_TYPE_MISMATCH, and nothing is stored', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const jpegAsPng = assertProblem(await caller.inject(uploadRequest(MEDIA_FILES.jpeg.bytes, 'image/png')), 422, 'MEDIA_TYPE_MISMATCH');
    assert.deepEqual([jpegAsPng.declared, jpegAsPng.detected], ['image/png', 'image/jpeg']);
    const scriptAsGif = assertProblem(await caller.inject(uploadRequest(Buffer.from('GIF8<script>alert(1)</script>'), 'image/gif')), 422, 'MEDIA_TYPE_MISMATCH');
    assert.equal(scriptAsGif.detected, null);
    assertProblem(await caller.inject(uploadRequest(MEDIA_FILES.png.bytes, 'video/mp4')), 422, 'MEDIA_TYPE_MISMATCH');
    assertProblem(await caller.inject(uploadRequest(MEDIA_FILES.png.bytes.subarray(0, 16), 'image/png')), 422, 'MEDIA_UNREADABLE');
    assertProblem(await caller.inject({ ...uploadRequest(Buffer.alloc(0), 'image/png'), payload: undefined }), 422, 'MEDIA_EMPTY');
    assert.deepEqual(blobFiles(kit, tenant.accountId), []);
    const list = await caller.inject({ method: 'GET', url: MEDIA });
    assert.deepEqual(list.json().items, []);
  });

  test('types that are not media and JSON bodies are 415 problems', async () => {
    const caller = (await kit.createTenant()).as();
    assertProblem(await caller.inject(uploadRequest(Buffer.from('<svg/>'), 'image/svg+xml')), 415, 'UNSUPPORTED_MEDIA_TYPE');
    assertProblem(await caller.inject(uploadRequest(Buffer.from('<html>'), 'text/html')), 415, 'UNSUPPORTED_MEDIA_TYPE');
    assertProblem(await caller.inject(uploadRequest(Buffer.from('{"a":1}'), 'application/json')), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('uploads past the configured size are 413 MEDIA_TOO_LARGE, with or without Content-Length', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const big = Buffer.concat([MEDIA_FILES.png.bytes, Buffer.alloc(64 * 1024)]);
    const declared = assertProblem(await caller.inject(uploadRequest(big, 'image/png')), 413, 'MEDIA_TOO_LARGE');
    assert.equal(declared.maxBytes, 64 * 1024);
    const chunks = Array.from({ length: 20 }, (_, i) => big.subarray(i * 4096, (i + 1) * 4096));
    const streamed = await caller.inject({ ...uploadRequest(big, 'image/png'), payload: Readable.from(chunks) });
    assertProblem(streamed, 413, 'MEDIA_TOO_LARGE');
    assert.deepEqual(blobFiles(kit, tenant.accountId), []);
    // Past the kernel's 1 MiB JSON limit does not matter here; only the media limit does.
    const justFits = Buffer.concat([MEDIA_FILES.png.bytes, Buffer.alloc(64 * 1024 - MEDIA_FILES.png.bytes.length)]);
    assert.equal((await caller.inject(uploadRequest(justFits, 'image/png'))).statusCode, 201);
  });

  test('the file name comes from the query or Content-Disposition, and must be a plain name', async () => {
    const caller = (await kit.createTenant()).as();
    const named = await caller.inject(uploadRequest(MEDIA_FILES.alphaWebp.bytes, 'image/webp', {}, { 'content-disposition': "attachment; filename=\"x.webp\"; filename*=UTF-8''%C3%A9t%C3%A9.webp" }));
    assert.equal(named.statusCode, 201, named.body);
    assert.equal(named.json().fileName, 'été.webp');
    assertProblem(await caller.inject(uploadRequest(MEDIA_FILES.losslessWebp.bytes, 'image/webp', {})), 400, 'FILE_NAME_REQUIRED');
    assertProblem(await caller.inject(uploadRequest(MEDIA_FILES.losslessWebp.bytes, 'image/webp', { fileName: '../../etc/passwd' })), 400, 'INVALID_FILE_NAME');
    assertProblem(await caller.inject(uploadRequest(MEDIA_FILES.losslessWebp.bytes, 'image/webp', {}, { 'content-disposition': 'attachment; filename="a\\\\b.webp"' })), 400, 'INVALID_FILE_NAME');
  });

  test('another tenant cannot read, download, change or delete an asset', async () => {
    const owner = (await kit.createTenant()).as();
    const asset = await upload(owner, MEDIA_FILES.progressiveJpeg.bytes, 'image/jpeg');
    const stranger = (await kit.createTenant()).as();
    for (const req of [
      { method: 'GET' as const, url: `${MEDIA}/${asset.id}` },
      { method: 'GET' as const, url: `${MEDIA}/${asset.id}/content` },
      { method: 'PATCH' as const, url: `${MEDIA}/${asset.id}`, payload: { altText: 'mine now' } },
      { method: 'DELETE' as const, url: `${MEDIA}/${asset.id}` },
    ]) {
      assertProblem(await stranger.inject(req), 404, 'NOT_FOUND');
    }
    assert.deepEqual((await stranger.inject({ method: 'GET', url: MEDIA })).json().items, []);
    assert.equal((await owner.inject({ method: 'GET', url: `${MEDIA}/${asset.id}` })).json().altText, null);
  });

  test('permissions: reading needs media:read, uploading media:write', async () => {
    const tenant = await kit.createTenant();
    const reader = tenant.as(['content.media:read']);
    assertProblem(await reader.inject(uploadRequest(MEDIA_FILES.png.bytes, 'image/png')), 403, 'PERMISSION_DENIED');
    assert.equal((await reader.inject({ method: 'GET', url: MEDIA })).statusCode, 200);
    assertProblem(await tenant.as(['content.media:write']).inject({ method: 'GET', url: MEDIA }), 403, 'PERMISSION_DENIED');
  });
});
