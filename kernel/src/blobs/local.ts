import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { BlobStore, StoredBlob } from '@markettina/sdk';
import { blobIdOf, newBlobKey } from './keys.js';

/** Bytes written per call, and hashed as they go. */
const CHUNK = 1 << 20;

/**
 * Blobs as files under `<dir>/<tenant id>/<first two hex digits>/<id>`. A write goes to a
 * temporary file in the same directory, is fsynced, then renamed into place, so a reader
 * (or a crash) never sees a half-written blob under a real key.
 */
export class LocalBlobStore implements BlobStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async put(tenantId: string, bytes: Uint8Array, options: { contentType: string }): Promise<StoredBlob> {
    const { key, id } = newBlobKey(tenantId);
    const folder = join(this.dir, tenantId, id.slice(0, 2));
    await mkdir(folder, { recursive: true });
    const temp = join(folder, `.tmp-${id}-${randomBytes(4).toString('hex')}`);
    const hash = createHash('sha256');
    const file = await open(temp, 'wx', 0o600);
    try {
      for (let at = 0; at < bytes.length; at += CHUNK) {
        const chunk = bytes.subarray(at, at + CHUNK);
        hash.update(chunk);
        await file.write(chunk);
      }
      await file.sync();
    } catch (err) {
      await file.close().catch(() => undefined);
      await rm(temp, { force: true });
      throw err;
    }
    await file.close();
    try {
      await rename(temp, join(folder, id));
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await syncDirectory(folder);
    return { key, sizeBytes: bytes.length, sha256: hash.digest('hex'), contentType: options.contentType };
  }

  async get(tenantId: string, key: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(tenantId, key);
    if (!path) return undefined;
    try {
      return new Uint8Array(await readFile(path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(tenantId: string, key: string): Promise<void> {
    const path = this.pathOf(tenantId, key);
    if (!path) return;
    try {
      await unlink(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** The file of a well-formed key of this tenant, or undefined. */
  private pathOf(tenantId: string, key: string): string | undefined {
    const id = blobIdOf(tenantId, key);
    if (!id) return undefined;
    const tenantDir = join(this.dir, tenantId) + sep;
    const path = join(tenantDir, id.slice(0, 2), id);
    // The key grammar already rules out traversal; this keeps it true if the grammar changes.
    return path.startsWith(tenantDir) ? path : undefined;
  }
}

/** Makes the rename durable: the directory entry is flushed, not only the file's data. */
async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } catch (err) {
    // Some filesystems (and Windows) refuse fsync on a directory; the data itself is synced.
    if (!['EINVAL', 'EPERM', 'EISDIR', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await dir.close();
  }
}
