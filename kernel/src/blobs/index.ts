import type { BlobStore } from '@markettina/sdk';
import { ConfigError } from '../errors.js';
import { LocalBlobStore } from './local.js';
import { S3BlobStore, type S3StorageConfig } from './s3.js';

export interface LocalStorageConfig {
  kind: 'local';
  /** Relative paths resolve against the working directory. */
  dir: string;
}

/** Deployment section `storage`: where blobs (media assets, generated files) are kept. */
export type StorageConfig = LocalStorageConfig | S3StorageConfig;

export { LocalBlobStore } from './local.js';
export { S3BlobStore, S3Error, objectUrl, type S3StorageConfig } from './s3.js';
export { signV4, uriEncode, amzDate, sha256Hex, EMPTY_SHA256, type SigV4Request, type SigV4Result } from './sigv4.js';

/** The store the deployment configured; the schema has already checked the shape. */
export function createBlobStore(config: StorageConfig): BlobStore {
  if (config.kind === 'local') return new LocalBlobStore(config.dir);
  let endpoint: URL;
  try {
    endpoint = new URL(config.endpoint);
  } catch {
    throw new ConfigError('CONFIG_INVALID', `storage.endpoint "${config.endpoint}" is not a URL; give the S3 endpoint, e.g. https://s3.eu-west-1.amazonaws.com`);
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') {
    throw new ConfigError('CONFIG_INVALID', `storage.endpoint must be an https:// URL (http:// only for a local test server), not "${endpoint.protocol}"`);
  }
  return new S3BlobStore(config);
}
