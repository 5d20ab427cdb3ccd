import { request, type Dispatcher } from 'undici';
import type { BlobStore, StoredBlob } from '@markettina/sdk';
import { blobIdOf, newBlobKey } from './keys.js';
import { EMPTY_SHA256, sha256Hex, signV4, uriEncode } from './sigv4.js';

export interface S3StorageConfig {
  kind: 's3';
  /** e.g. `https://s3.eu-west-1.amazonaws.com`, or a MinIO / R2 / Ceph endpoint. */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO and most self-hosted servers). */
  forcePathStyle?: boolean;
}

/** A response the store did not expect; its message carries S3's error code, never the credentials. */
export class S3Error extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly s3Code: string | undefined,
  ) {
    super(`S3 ${operation} failed with HTTP ${status}${s3Code ? ` (${s3Code})` : ''}`);
    this.name = 'S3Error';
  }
}

/** Where an object lives, path-style or virtual-hosted. */
export function objectUrl(config: Pick<S3StorageConfig, 'endpoint' | 'bucket' | 'forcePathStyle'>, key: string): URL {
  const base = new URL(config.endpoint);
  const path = base.pathname.replace(/\/+$/, '');
  const encodedKey = uriEncode(key, true);
  if (config.forcePathStyle) return new URL(`${base.protocol}//${base.host}${path}/${uriEncode(config.bucket)}/${encodedKey}`);
  return new URL(`${base.protocol}//${config.bucket}.${base.host}${path}/${encodedKey}`);
}

/**
 * Blobs as objects in one bucket, keys `<tenant id>/<random id>`: PutObject, GetObject and
 * DeleteObject signed with SigV4. Bodies are hashed and signed (no UNSIGNED-PAYLOAD), so a
 * tampered upload is refused by the server.
 */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly config: S3StorageConfig,
    /** The HTTP agent; tests route virtual-hosted names to a local server with it. */
    private readonly dispatcher?: Dispatcher,
  ) {}

  async put(tenantId: string, bytes: Uint8Array, options: { contentType: string }): Promise<StoredBlob> {
    const { key } = newBlobKey(tenantId);
    const sha256 = sha256Hex(bytes);
    const res = await this.send('PutObject', 'PUT', key, sha256, bytes, {
      'content-type': options.contentType,
      'content-length': String(bytes.length),
    });
    await this.expect('PutObject', res, [200]);
    return { key, sizeBytes: bytes.length, sha256, contentType: options.contentType };
  }

  async get(tenantId: string, key: string): Promise<Uint8Array | undefined> {
    if (!blobIdOf(tenantId, key)) return undefined;
    const res = await this.send('GetObject', 'GET', key, EMPTY_SHA256);
    if (res.statusCode === 404) {
      await res.body.dump();
      return undefined;
    }
    if (res.statusCode !== 200) await this.expect('GetObject', res, [200]);
    return new Uint8Array(await res.body.arrayBuffer());
  }

  async delete(tenantId: string, key: string): Promise<void> {
    if (!blobIdOf(tenantId, key)) return;
    const res = await this.send('DeleteObject', 'DELETE', key, EMPTY_SHA256);
    // S3 answers 204 whether or not the key existed; some compatible servers say 404.
    await this.expect('DeleteObject', res, [200, 204, 404]);
  }

  private send(operation: string, method: 'PUT' | 'GET' | 'DELETE', key: string, payloadHash: string, body?: Uint8Array, headers: Record<string, string> = {}) {
    const url = objectUrl(this.config, key);
    const signed = signV4({ method, url, headers, payloadHash, region: this.config.region, service: 's3', credentials: this.config, date: new Date() });
    // undici sets Host from the URL, which is the value that was signed.
    const { host: _host, ...sent } = signed.headers;
    return request(url, { method, headers: sent, body, dispatcher: this.dispatcher }).catch((err: unknown) => {
      throw new Error(`S3 ${operation} to ${url.host} failed: ${(err as Error).message}`, { cause: err });
    });
  }

  private async expect(operation: string, res: Dispatcher.ResponseData, ok: number[]): Promise<void> {
    if (ok.includes(res.statusCode)) {
      await res.body.dump();
      return;
    }
    const text = await res.body.text().catch(() => '');
    throw new S3Error(operation, res.statusCode, /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1]);
  }
}
