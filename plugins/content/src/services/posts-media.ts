import type { Knex } from 'knex';
import type { ResolvedMedia } from '../domain/variants.js';
import { resolveMedia } from './media-resolve.js';

/**
 * The tenant's media assets as posts refer to them: by asset id, resolved to the stored
 * file the publisher reads. A post may only refer to assets that exist.
 */
export interface MediaCatalog {
  /** Every id resolved, or a 422 MEDIA_NOT_FOUND naming the ids that are not the tenant's assets. */
  resolve(db: Knex.Transaction, assetIds: readonly string[]): Promise<ResolvedMedia>;
}

/** The media library of this plugin (its rows stay share-locked until the transaction ends). */
export const mediaCatalog: MediaCatalog = { resolve: resolveMedia };
