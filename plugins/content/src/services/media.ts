import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { newestFirst, problems, type BlobStore, type Jobs, type Page, type PageRequest } from '@markettina/sdk';
import { checkFileName, normalizeAltText, normalizeTags, tagFilter } from '../domain/media.js';
import { inspectUpload } from '../domain/media-upload.js';
import { MEDIA_BLOB_CLEANUP } from './media-cleanup.js';
import { MEDIA_COLUMNS, mediaView, tagsOf, writeTags, type MediaAssetRow, type MediaAssetView } from './media-rows.js';
import { postsUsingMedia } from './media-usage.js';
import type { ContentCaller } from './caller.js';
import { isUuid } from './ids.js';

export type { MediaAssetView };
export { resolveMedia } from './media-resolve.js';

export interface MediaUpload {
  bytes: Uint8Array;
  /** The declared Content-Type; checked against the bytes. */
  contentType: string;
  fileName: string;
  altText?: string | null;
  tags?: string[];
}

export interface MediaFilter {
  /** `image` (any image) or a full type such as `image/png`. */
  type?: string;
  tag?: string;
}

export interface MediaContent {
  fileName: string;
  mimeType: string;
  sha256: string;
  bytes: Uint8Array;
}

export interface MediaPatch {
  altText?: string | null;
  tags?: string[];
}

/**
 * Media assets of the tenant `db` is bound to, their files in the kernel's blob store. A
 * row exists only while its blob does: a blob is written before its row, and removed only
 * by a job enqueued in the transaction that deletes the row, so it runs after that commit.
 */
export class MediaStore {
  constructor(
    private readonly blobs: BlobStore,
    private readonly jobs: Jobs,
  ) {}

  private select(db: Knex.Transaction) {
    return db('content_media_assets').select(MEDIA_COLUMNS);
  }

  private async withTags(db: Knex.Transaction, rows: MediaAssetRow[]): Promise<MediaAssetView[]> {
    const tags = await tagsOf(db, rows.map((r) => r.id));
    return rows.map((r) => mediaView(r, tags.get(r.id)!));
  }

  private async row(db: Knex.Transaction, id: string, lock?: 'update'): Promise<MediaAssetRow> {
    if (!isUuid(id)) throw problems.notFound('media asset');
    let q = this.select(db).where({ id });
    if (lock) q = q.forUpdate();
    const row = (await q.first()) as MediaAssetRow | undefined;
    if (!row) throw problems.notFound('media asset');
    return row;
  }

  async get(db: Knex.Transaction, id: string): Promise<MediaAssetView> {
    const [view] = await this.withTags(db, [await this.row(db, id)]);
    return view!;
  }

  /**
   * Stores an upload, or returns the tenant's asset that already holds the same bytes
   * (`created: false`; its name, alt text and tags stay as they were).
   */
  async upload({ db, accountId }: ContentCaller, upload: MediaUpload): Promise<{ asset: MediaAssetView; created: boolean }> {
    const { mimeType, width, height } = inspectUpload(upload.contentType, upload.bytes);
    const fileName = checkFileName(upload.fileName);
    const altText = normalizeAltText(upload.altText ?? null);
    const tags = normalizeTags(upload.tags ?? []);
    const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
    const existing = await this.bySha(db, sha256);
    if (existing) return { asset: existing, created: false };

    const blob = await this.blobs.put(accountId, upload.bytes, { contentType: mimeType });
    try {
      const [inserted] = (await db('content_media_assets')
        .insert({ account_id: accountId, file_name: fileName, mime_type: mimeType, size_bytes: blob.sizeBytes, sha256, width, height, alt_text: altText, blob_key: blob.key })
        .onConflict(['account_id', 'sha256'])
        .ignore()
        .returning('id')) as { id: string }[];
      if (!inserted) {
        // The same bytes were stored meanwhile by a concurrent upload, which won.
        await this.blobs.delete(accountId, blob.key);
        return { asset: (await this.bySha(db, sha256))!, created: false };
      }
      await writeTags(db, accountId, inserted.id, tags);
      return { asset: await this.get(db, inserted.id), created: true };
    } catch (err) {
      await this.blobs.delete(accountId, blob.key).catch(() => undefined);
      throw err;
    }
  }

  /** Share-locked, so a concurrent delete of that asset waits for this transaction. */
  private async bySha(db: Knex.Transaction, sha256: string): Promise<MediaAssetView | undefined> {
    const row = (await this.select(db).where({ sha256 }).forShare().first()) as MediaAssetRow | undefined;
    return row && (await this.withTags(db, [row]))[0];
  }

  async list(db: Knex.Transaction, filter: MediaFilter, page: PageRequest): Promise<Page<MediaAssetView>> {
    let q = this.select(db);
    if (filter.type) q = filter.type.includes('/') ? q.where({ mime_type: filter.type }) : q.where('mime_type', 'like', `${filter.type}/%`);
    if (filter.tag) {
      const tag = tagFilter(filter.tag);
      q = q.whereExists((sub) => sub.select(db.raw('1')).from('content_media_tags as t').whereRaw('t.asset_id = content_media_assets.id').andWhere('t.tag', tag));
    }
    const rows = await newestFirst(q, page, (r: MediaAssetRow) => r);
    return { items: await this.withTags(db, rows.items), nextCursor: rows.nextCursor };
  }

  /** The asset's bytes, with what a download needs to describe them. */
  async content({ db, accountId }: ContentCaller, id: string): Promise<MediaContent> {
    const row = await this.row(db, id);
    const bytes = await this.blobs.get(accountId, row.blob_key);
    // A row never outlives its blob; if it did, that is the server's fault, not the client's.
    if (!bytes) throw new Error(`media asset ${id}: blob ${row.blob_key} is missing from the blob store`);
    return { fileName: row.file_name, mimeType: row.mime_type, sha256: row.sha256, bytes };
  }

  async update({ db, accountId }: ContentCaller, id: string, patch: MediaPatch): Promise<MediaAssetView> {
    await this.row(db, id, 'update');
    if (patch.altText !== undefined) await db('content_media_assets').where({ id }).update({ alt_text: normalizeAltText(patch.altText) });
    if (patch.tags !== undefined) await writeTags(db, accountId, id, normalizeTags(patch.tags));
    await db('content_media_assets').where({ id }).update({ updated_at: db.fn.now() });
    return this.get(db, id);
  }

  /** Deletes an asset no post needs (409 MEDIA_IN_USE otherwise); its blob goes once this commits. */
  async remove({ db }: ContentCaller, id: string): Promise<void> {
    const row = await this.row(db, id, 'update');
    const postIds = await postsUsingMedia(db, id);
    if (postIds.length) {
      throw problems.conflict('MEDIA_IN_USE', `media asset ${id} is used by ${postIds.length === 20 ? '20 or more' : postIds.length} post(s); remove it from them first`, { postIds });
    }
    await db('content_media_assets').where({ id }).delete();
    await this.jobs.enqueue(db, { type: MEDIA_BLOB_CLEANUP, payload: { blobKey: row.blob_key } });
  }
}
