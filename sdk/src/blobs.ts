/**
 * Where plugins keep files (media assets, generated images): a port the kernel provides,
 * backed by the local filesystem by default or by S3-compatible object storage. Keys are
 * chosen by the store and bound to a tenant: a key handed to `get` with another tenant's
 * id finds nothing, so a guessed or leaked key never crosses tenants. Plugins pass keys to
 * each other (content stores a media asset, social reads it when publishing).
 */
export interface StoredBlob {
  /** Opaque; store it and hand it back to `get`/`delete`. */
  key: string;
  sizeBytes: number;
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string;
  contentType: string;
}

export interface BlobStore {
  /** Stores `bytes` under a new key in the tenant's space. */
  put(tenantId: string, bytes: Uint8Array, options: { contentType: string }): Promise<StoredBlob>;
  /** The bytes, or undefined if the key is unknown or belongs to another tenant. */
  get(tenantId: string, key: string): Promise<Uint8Array | undefined>;
  /** Removes the blob; removing a missing key is not an error. */
  delete(tenantId: string, key: string): Promise<void>;
}
