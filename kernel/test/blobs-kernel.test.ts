import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { coreServices, definePlugin } from '@markettina/sdk';
import { startTestKernel } from '@markettina/sdk/testing';
import { ConfigError, loadConfig } from '@markettina/kernel';
import { createBlobStore, LocalBlobStore, S3BlobStore } from '../src/blobs/index.js';

const S3 = { kind: 's3', endpoint: 'https://s3.eu-west-1.amazonaws.com', region: 'eu-west-1', bucket: 'media-bucket', accessKeyId: 'AKID', secretAccessKey: 'secret' };

describe('blob storage configuration', () => {
  test('the default is a local folder under .markettina', () => {
    const cfg = loadConfig({ env: {} });
    assert.deepEqual(cfg.storage, { kind: 'local', dir: '.markettina/blobs' });
    assert.ok(createBlobStore(cfg.storage) instanceof LocalBlobStore);
  });

  test('a deployment file choosing S3 replaces the local section instead of merging into it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-storage-'));
    try {
      const file = join(dir, 'c.json');
      writeFileSync(file, JSON.stringify({ storage: { ...S3, forcePathStyle: true } }));
      const cfg = loadConfig({ file, env: {} });
      assert.deepEqual(cfg.storage, { ...S3, forcePathStyle: true });
      assert.ok(createBlobStore(cfg.storage) instanceof S3BlobStore);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a bad storage section fails with the path of the problem', () => {
    const invalid = (storage: unknown, pattern: RegExp) =>
      assert.throws(
        () => loadConfig({ env: {}, overrides: { storage } }),
        (err: ConfigError) => err.code === 'CONFIG_INVALID' && pattern.test(err.message),
      );
    invalid({ ...S3, bucket: undefined }, /\/storage must have required property 'bucket'/);
    invalid({ kind: 'ftp', dir: '/srv' }, /\/storage\/kind must be equal to one of the allowed values/);
    invalid({ ...S3, endpoint: 's3.amazonaws.com' }, /\/storage\/endpoint must match pattern/);
    invalid({ ...S3, bucket: 'Bad_Bucket' }, /\/storage\/bucket must match pattern/);
    invalid({ kind: 'local', dir: '' }, /\/storage\/dir must NOT have fewer than 1 characters/);
    invalid({ kind: 'local', dir: '/srv', bucket: 'x' }, /\/storage must NOT have additional properties/);
    assert.throws(
      () => createBlobStore({ ...S3, kind: 's3', endpoint: 'https://[not-a-host' }),
      (err: ConfigError) => err.code === 'CONFIG_INVALID' && /storage\.endpoint "https:\/\/\[not-a-host" is not a URL/.test(err.message),
    );
  });
});

describe('blob store in the kernel', () => {
  test('plugins reach it as coreServices.blobs; the test kit gives each kernel its own folder and removes it', async () => {
    const plugin = definePlugin({ manifest: { id: 'blob-user', version: '1.0.0', kernel: '^1.0.0' }, register() {} });
    const kit = await startTestKernel({ plugins: [plugin] });
    const other = await startTestKernel({ plugins: [plugin] });
    let dir: string;
    try {
      const storage = kit.kernel.config.storage;
      assert.equal(storage.kind, 'local');
      dir = resolve((storage as { dir: string }).dir);
      assert.notEqual(dir, resolve((other.kernel.config.storage as { dir: string }).dir));
      const blobs = kit.kernel.host.contextFor('blob-user').get(coreServices.blobs);
      assert.equal(blobs, kit.kernel.blobs);
      const tenant = await kit.createTenant();
      const stored = await blobs.put(tenant.accountId, new TextEncoder().encode('hello'), { contentType: 'text/plain' });
      assert.ok(existsSync(join(dir, tenant.accountId)));
      assert.equal(new TextDecoder().decode(await blobs.get(tenant.accountId, stored.key)), 'hello');
      assert.equal(await other.kernel.blobs.get(tenant.accountId, stored.key), undefined, "another kernel's folder is apart");
    } finally {
      await other.close();
      await kit.close();
    }
    assert.equal(existsSync(dir!), false);
  });
});
