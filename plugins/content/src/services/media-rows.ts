import type { Knex } from 'knex';
import type { MediaType } from '../domain/media-types.js';

/** A media asset as the API shows it (its blob key stays inside the plugin). */
export interface MediaAssetView {
  id: string;
  fileName: string;
  mimeType: MediaType;
  sizeBytes: number;
  /** Lower-case hex SHA-256 of the bytes; also the download's ETag. */
  sha256: string;
  width: number | null;
  height: number | null;
  altText: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export interface MediaAssetRow {
  id: string;
  file_name: string;
  mime_type: MediaType;
  size_bytes: string;
  sha256: string;
  width: number | null;
  height: number | null;
  alt_text: string | null;
  blob_key: string;
  created_at: Date;
  updated_at: Date;
}

export const MEDIA_COLUMNS = ['id', 'file_name', 'mime_type', 'size_bytes', 'sha256', 'width', 'height', 'alt_text', 'blob_key', 'created_at', 'updated_at'];

export const mediaView = (r: MediaAssetRow, tags: string[]): MediaAssetView => ({
  id: r.id,
  fileName: r.file_name,
  mimeType: r.mime_type,
  sizeBytes: Number(r.size_bytes),
  sha256: r.sha256,
  width: r.width,
  height: r.height,
  altText: r.alt_text,
  tags,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** Tags of the given assets, in their stored order. */
export async function tagsOf(db: Knex.Transaction, assetIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(assetIds.map((id) => [id, []]));
  if (assetIds.length === 0) return out;
  const rows = (await db('content_media_tags').whereIn('asset_id', assetIds).orderBy(['asset_id', 'position']).select('asset_id', 'tag')) as { asset_id: string; tag: string }[];
  for (const r of rows) out.get(r.asset_id)!.push(r.tag);
  return out;
}

/** Replaces an asset's tags. */
export async function writeTags(db: Knex.Transaction, accountId: string, assetId: string, tags: string[]): Promise<void> {
  await db('content_media_tags').where({ asset_id: assetId }).delete();
  if (tags.length) await db('content_media_tags').insert(tags.map((tag, position) => ({ account_id: accountId, asset_id: assetId, tag, position })));
}
