import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { S3BlobStore, S3Error, signV4, sha256Hex, type S3StorageConfig } from '../src/blobs/index.js';
import { localDispatcher, startFakeS3, type FakeS3 } from './fixtures/s3/fake-s3.js';

const CREDENTIALS = { accessKeyId: 'AKIDTESTSTORE', secretAccessKey: 'test/secret+key' };
const BUCKET = 'media-bucket';
const REGION = 'eu-south-1';

describe('S3 blob store against a fake S3 that checks signatures', () => {
  let s3: FakeS3;
  const dispatcher = localDispatcher();
  const config = (over: Partial<S3StorageConfig> = {}): S3StorageConfig => ({ kind: 's3', endpoint: s3.endpoint, region: REGION, bucket: BUCKET, forcePathStyle: true, ...CREDENTIALS, ...over });
  const tenant = randomUUID();
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

  before(async () => {
    s3 = await startFakeS3({ bucket: BUCKET, region: REGION, ...CREDENTIALS });
  });
  after(async () => {
    await s3.close();
    await dispatcher.close();
  });

  for (const forcePathStyle of [true, false]) {
    const style = forcePathStyle ? 'path-style' : 'virtual-hosted';
    test(`${style}: put, get and delete round-trip through signed requests`, async () => {
      const store = new S3BlobStore(config({ forcePathStyle }), dispatcher);
      s3.log.length = 0;
      const blob = await store.put(tenant, png, { contentType: 'image/png' });
      assert.match(blob.key, new RegExp(`^${tenant}/[0-9a-f]{32}$`));
      assert.equal(blob.sha256, createHash('sha256').update(png).digest('hex'));
      assert.equal(blob.sizeBytes, png.length);
      assert.deepEqual(s3.objects.get(blob.key), { bytes: png, contentType: 'image/png' });

      assert.deepEqual(Buffer.from((await store.get(tenant, blob.key))!), png);
      await store.delete(tenant, blob.key);
      assert.equal(s3.objects.has(blob.key), false);
      assert.equal(await store.get(tenant, blob.key), undefined, 'NoSuchKey reads as missing');
      await store.delete(tenant, blob.key);

      const host = forcePathStyle ? s3.baseHost : `${BUCKET}.${s3.baseHost}`;
      const path = forcePathStyle ? `/${BUCKET}/${blob.key}` : `/${blob.key}`;
      assert.deepEqual(s3.log, [`PUT ${host} ${path} -> 200`, `GET ${host} ${path} -> 200`, `DELETE ${host} ${path} -> 204`, `GET ${host} ${path} -> 404`, `DELETE ${host} ${path} -> 204`]);
    });
  }

  test("another tenant's key, or a malformed one, is refused without a request", async () => {
    const store = new S3BlobStore(config(), dispatcher);
    const blob = await store.put(tenant, png, { contentType: 'image/png' });
    s3.log.length = 0;
    const other = randomUUID();
    assert.equal(await store.get(other, blob.key), undefined);
    await store.delete(other, blob.key);
    assert.equal(await store.get(tenant, `${tenant}/../${other}/${blob.key.split('/')[1]}`), undefined);
    assert.deepEqual(s3.log, []);
    assert.ok(s3.objects.has(blob.key));
  });

  test('wrong credentials, a wrong region and server errors surface as S3Error with the S3 code', async () => {
    await assert.rejects(new S3BlobStore(config({ secretAccessKey: 'wrong' }), dispatcher).put(tenant, png, { contentType: 'image/png' }), (err: S3Error) => err.status === 403 && err.s3Code === 'SignatureDoesNotMatch');
    await assert.rejects(new S3BlobStore(config({ accessKeyId: 'AKIDUNKNOWN' }), dispatcher).get(tenant, `${tenant}/${'a'.repeat(32)}`), (err: S3Error) => err.s3Code === 'InvalidAccessKeyId');
    await assert.rejects(new S3BlobStore(config({ region: 'us-east-1' }), dispatcher).delete(tenant, `${tenant}/${'a'.repeat(32)}`), (err: S3Error) => err.status === 400 && err.s3Code === 'AuthorizationHeaderMalformed');
    await assert.rejects(new S3BlobStore(config({ bucket: 'other-bucket' }), dispatcher).put(tenant, png, { contentType: 'image/png' }), (err: S3Error) => err.status === 404 && err.s3Code === 'NoSuchBucket');
    const store = new S3BlobStore(config(), dispatcher);
    s3.failNext(503, 'SlowDown');
    await assert.rejects(store.put(tenant, png, { contentType: 'image/png' }), (err: S3Error) => err.status === 503 && err.s3Code === 'SlowDown' && !err.message.includes(CREDENTIALS.secretAccessKey));
    s3.failNext(500, 'InternalError');
    await assert.rejects(store.get(tenant, `${tenant}/${'b'.repeat(32)}`), (err: S3Error) => err.s3Code === 'InternalError');
  });

  test('an unreachable endpoint is a plain error naming the operation and host', async () => {
    const store = new S3BlobStore(config({ endpoint: 'http://127.0.0.1:1' }));
    await assert.rejects(store.put(tenant, png, { contentType: 'image/png' }), /S3 PutObject to 127\.0\.0\.1:1 failed/);
  });

  test('the fake refuses a body that does not match its signed hash, and a tampered signed header', async () => {
    // Guards the fake itself: if it accepted these, the tests above would prove nothing.
    const url = new URL(`${s3.endpoint}/${BUCKET}/${tenant}/${'c'.repeat(32)}`);
    const signed = signV4({ method: 'PUT', url, headers: { 'content-type': 'image/png' }, payloadHash: sha256Hex(png), region: REGION, service: 's3', credentials: CREDENTIALS, date: new Date() });
    const { host: _h, ...headers } = signed.headers;
    const tampered = await request(url, { method: 'PUT', headers, body: Buffer.concat([png, Buffer.from([0])]), dispatcher });
    assert.equal(tampered.statusCode, 400);
    assert.match(await tampered.body.text(), /<Code>XAmzContentSHA256Mismatch<\/Code>/);
    const retyped = await request(url, { method: 'PUT', headers: { ...headers, 'content-type': 'text/html' }, body: png, dispatcher });
    assert.equal(retyped.statusCode, 403);
    assert.match(await retyped.body.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
    const fine = await request(url, { method: 'PUT', headers, body: png, dispatcher });
    assert.equal(fine.statusCode, 200);
    await fine.body.dump();
  });
});
