import { coreServices, type TaskDeclaration } from '@markettina/sdk';

export const MEDIA_BLOB_CLEANUP = 'content.deleteMediaBlob';

/**
 * Removes the blob of a deleted asset. Enqueued in the transaction that deleted the row,
 * so it runs only once that committed; deleting a blob that is already gone is no error,
 * so a retry is harmless. A blob some row still names is kept.
 */
export const mediaBlobCleanup: TaskDeclaration<{ blobKey: string }> = {
  type: MEDIA_BLOB_CLEANUP,
  retry: { baseDelayMs: 5_000, maxDelayMs: 3_600_000 },
  async handler(job, ctx) {
    const { blobKey } = job.payload;
    if (await ctx.db('content_media_assets').where({ blob_key: blobKey }).first('id')) return { kept: true };
    await ctx.get(coreServices.blobs).delete(ctx.tenant.accountId, blobKey);
    return { deleted: true };
  },
};
