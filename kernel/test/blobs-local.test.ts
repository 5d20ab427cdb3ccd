import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalBlobStore } from '../src/blobs/index.js';

/** Every file under `dir`, relative, temp files included. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1))
    .sort();
}

describe('local blob store', () => {
  let dir: string;
  let store: LocalBlobStore;
  const tenantA = randomUUID();
  const tenantB = randomUUID();
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mk-blobs-'));
    store = new LocalBlobStore(join(dir, 'store'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('stores bytes under a generated key of the tenant, with the SHA-256 of what it wrote', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) % 251);
    const blob = await store.put(tenantA, bytes, { contentType: 'image/png' });
    assert.match(blob.key, new RegExp(`^${tenantA}/[0-9a-f]{32}$`));
    assert.equal(blob.sizeBytes, bytes.length);
    assert.equal(blob.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(blob.contentType, 'image/png');
    assert.deepEqual(await store.get(tenantA, blob.key), bytes);
    const id = blob.key.split('/')[1]!;
    assert.deepEqual(readFileSync(join(store.dir, tenantA, id.slice(0, 2), id)), Buffer.from(bytes));
  });

  test('two puts of the same bytes get different keys (keys never come from content or input)', async () => {
    const bytes = new TextEncoder().encode('same');
    const [a, b] = await Promise.all([store.put(tenantA, bytes, { contentType: 'text/plain' }), store.put(tenantA, bytes, { contentType: 'text/plain' })]);
    assert.notEqual(a.key, b.key);
    assert.equal(a.sha256, b.sha256);
  });

  test('a completed write leaves only the final file; a failed write leaves nothing behind', async () => {
    const fresh = new LocalBlobStore(join(dir, 'atomic'));
    const tenant = randomUUID();
    const ok = await fresh.put(tenant, new Uint8Array([1, 2, 3]), { contentType: 'application/octet-stream' });
    const id = ok.key.split('/')[1]!;
    assert.deepEqual(filesUnder(fresh.dir), [join(tenant, id.slice(0, 2), id)]);

    // Fails after the first 1 MiB chunk reached the temporary file.
    class FailingBytes extends Uint8Array {
      override subarray(begin?: number, end?: number): Uint8Array<ArrayBuffer> {
        if ((begin ?? 0) > 0) throw new Error('disk on fire');
        return new Uint8Array(this.buffer, this.byteOffset, Math.min(end ?? this.length, this.length));
      }
    }
    await assert.rejects(fresh.put(tenant, new FailingBytes(3 * 1024 * 1024), { contentType: 'application/octet-stream' }), /disk on fire/);
    assert.deepEqual(filesUnder(fresh.dir), [join(tenant, id.slice(0, 2), id)], 'no temporary or partial file stays');
  });

  test("another tenant's key finds nothing and cannot delete it", async () => {
    const blob = await store.put(tenantA, new TextEncoder().encode('A only'), { contentType: 'text/plain' });
    assert.equal(await store.get(tenantB, blob.key), undefined);
    const [, id] = blob.key.split('/');
    assert.equal(await store.get(tenantB, `${tenantB}/${id}`), undefined, 'the same id under the other tenant is another blob');
    await store.delete(tenantB, blob.key);
    await store.delete(tenantB, `${tenantB}/${id}`);
    assert.equal(new TextDecoder().decode(await store.get(tenantA, blob.key)), 'A only');
  });

  test('keys that try to leave the tenant folder find nothing and delete nothing', async () => {
    const blob = await store.put(tenantA, new TextEncoder().encode('target'), { contentType: 'text/plain' });
    const [, id] = blob.key.split('/') as [string, string];
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'outside');
    mkdirSync(join(store.dir, tenantB), { recursive: true });
    const attempts = [
      `${tenantB}/../${tenantA}/${id.slice(0, 2)}/${id}`,
      `${tenantB}/../${tenantA}/${id}`,
      `${tenantB}/../../secret.txt`,
      `${tenantB}/${'..%2F'.repeat(3)}secret.txt`,
      `../secret.txt`,
      secret,
      `${tenantB}/${id}/../../${tenantA}/${id}`,
      `${tenantB}/${id.toUpperCase()}`,
      `${tenantB}/${id}\0`,
      `${tenantB}//${id}`,
      `${tenantB}/${id.slice(0, 2)}/${id}`,
      '',
    ];
    for (const key of attempts) {
      assert.equal(await store.get(tenantB, key), undefined, key);
      await store.delete(tenantB, key);
    }
    assert.equal(await store.get('..', `../secret.txt`), undefined);
    assert.equal(await store.get(`${tenantB}/..`, `${tenantB}/../${id}`), undefined);
    await assert.rejects(store.put('../escape', new Uint8Array(1), { contentType: 'text/plain' }), /not a tenant id/);
    assert.equal(readFileSync(secret, 'utf8'), 'outside');
    assert.equal(new TextDecoder().decode(await store.get(tenantA, blob.key)), 'target');
    assert.ok(!existsSync(join(dir, 'escape')));
  });

  test('delete removes the blob; deleting a missing or unknown key is not an error', async () => {
    const blob = await store.put(tenantA, new Uint8Array([9]), { contentType: 'application/octet-stream' });
    await store.delete(tenantA, blob.key);
    assert.equal(await store.get(tenantA, blob.key), undefined);
    await store.delete(tenantA, blob.key);
    await store.delete(tenantA, 'nonsense');
  });

  test('a store over a folder that does not exist yet creates it on the first write and reads nothing before', async () => {
    const lazy = new LocalBlobStore(join(dir, 'later', 'deeper'));
    assert.equal(await lazy.get(tenantA, `${tenantA}/${'0'.repeat(32)}`), undefined);
    const blob = await lazy.put(tenantA, new Uint8Array([7]), { contentType: 'application/octet-stream' });
    assert.deepEqual(await lazy.get(tenantA, blob.key), new Uint8Array([7]));
  });
});
