import type { Knex } from 'knex';
import { problems } from '@markettina/sdk';
import type { PublicationMedia } from '@markettina/plugin-social/contracts';
import { isUuid } from './ids.js';

interface ResolveRow {
  id: string;
  blob_key: string;
  mime_type: string;
  size_bytes: string;
  alt_text: string | null;
  file_name: string;
}

/**
 * Turns asset ids of the tenant `db` is bound to into what the publisher needs to read each
 * file. Every id must name an asset, else 422 MEDIA_NOT_FOUND lists those that do not.
 * The rows stay share-locked until `db` ends, so an asset cannot be deleted between a post
 * naming it and that post being saved or scheduled.
 */
export async function resolveMedia(db: Knex.Transaction, assetIds: readonly string[]): Promise<Map<string, PublicationMedia>> {
  const ids = [...new Set(assetIds)];
  const wellFormed = ids.filter(isUuid);
  const rows = wellFormed.length
    ? ((await db('content_media_assets').whereIn('id', wellFormed).forShare().select('id', 'blob_key', 'mime_type', 'size_bytes', 'alt_text', 'file_name')) as ResolveRow[])
    : [];
  const found = new Map<string, PublicationMedia>(
    rows.map((r) => [
      r.id,
      { blobKey: r.blob_key, mimeType: r.mime_type, sizeBytes: Number(r.size_bytes), fileName: r.file_name, ...(r.alt_text !== null ? { altText: r.alt_text } : {}) },
    ]),
  );
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw problems.invalid('MEDIA_NOT_FOUND', `no media asset ${missing.join(', ')}; upload it first`, { assetIds: missing });
  return found;
}
