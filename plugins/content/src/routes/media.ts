import type { FastifyPluginAsync } from 'fastify';
import { PERMISSIONS } from '../contracts.js';
import type { MediaFilter, MediaPatch } from '../services/media.js';
import { mediaStore } from './media-context.js';
import { assetParams, bytesOut, errors, listQuery, mediaOut, mediaPage, patchBody } from './media-schemas.js';
import { mediaUploadRoute } from './media-upload.js';

const read = { permission: PERMISSIONS.mediaRead, rateLimit: 'read' };
const write = { permission: PERMISSIONS.mediaWrite, rateLimit: 'write', idempotency: 'optional' } as const;
const assetId = (req: { params: unknown }) => (req.params as { assetId: string }).assetId;

/** A download's file name for Content-Disposition: an ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 8187). */
const disposition = (fileName: string) =>
  `inline; filename="${fileName.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/** Media assets: upload, list, describe, download, delete. */
export const mediaRoutes: FastifyPluginAsync = async (app) => {
  await app.register(mediaUploadRoute);

  app.get(
    '/media',
    {
      config: read,
      schema: { summary: 'List media assets, newest first; filter by type and tag', querystring: listQuery, response: { 200: mediaPage, ...errors(400, 401, 403) } },
    },
    async (req) => {
      const { limit, cursor, ...filter } = req.query as { limit: number; cursor?: string } & MediaFilter;
      return mediaStore(req).list(req.ctx.db, filter, { limit, ...(cursor ? { cursor } : {}) });
    },
  );

  app.get('/media/:assetId', { config: read, schema: { summary: 'Read a media asset', params: assetParams, response: { 200: mediaOut, ...errors(400, 401, 403, 404) } } }, async (req) =>
    mediaStore(req).get(req.ctx.db, assetId(req)),
  );

  app.get(
    '/media/:assetId/content',
    {
      config: read,
      schema: {
        summary: "Download a media asset's file",
        description: 'An asset\'s bytes never change, so the answer may be cached for good; send If-None-Match with the ETag to get 304.',
        params: assetParams,
        response: { 200: bytesOut, 304: { type: 'null', description: 'Not modified' }, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const file = await mediaStore(req).content(req.ctx.db, req.ctx.tenant.accountId, assetId(req));
      const etag = `"${file.sha256}"`;
      reply.header('etag', etag).header('cache-control', 'private, max-age=31536000, immutable');
      const ifNoneMatch = req.headers['if-none-match'];
      if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
        reply.code(304);
        return null;
      }
      reply.type(file.mimeType).header('content-disposition', disposition(file.fileName)).header('x-content-type-options', 'nosniff');
      return Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
    },
  );

  app.patch(
    '/media/:assetId',
    { config: write, schema: { summary: "Change a media asset's alt text or tags", params: assetParams, body: patchBody, response: { 200: mediaOut, ...errors(400, 401, 403, 404, 422) } } },
    async (req) => mediaStore(req).update(req.ctx.db, req.ctx.tenant.accountId, assetId(req), req.body as MediaPatch),
  );

  app.delete(
    '/media/:assetId',
    {
      config: write,
      schema: {
        summary: 'Delete a media asset that no post uses',
        description: 'Refused with 409 MEDIA_IN_USE while the current version of a post, or a scheduled publication, shows the asset.',
        params: assetParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await mediaStore(req).remove(req.ctx.db, assetId(req));
      // Returned, not sent: the kernel answers once the transaction has committed.
      reply.code(204);
      return null;
    },
  );
};
