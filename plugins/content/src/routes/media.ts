import type { FastifyPluginAsync } from 'fastify';
import type { MediaFilter, MediaPatch } from '../services/media.js';
import { caller, listing, noContentReply, param, policy, services } from './context.js';
import { assetParams, bytesOut, listQuery, mediaOut, mediaPage, patchBody } from './media-schemas.js';
import { mediaUploadRoute } from './media-upload.js';
import { errors, noContent } from './schemas.js';

/** A download's file name for Content-Disposition: an ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 8187). */
const disposition = (fileName: string) =>
  `inline; filename="${fileName.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/** Media assets: upload, list, describe, download, delete. */
export const mediaRoutes: FastifyPluginAsync = async (app) => {
  await app.register(mediaUploadRoute);

  app.get(
    '/media',
    {
      config: policy.mediaRead,
      schema: { summary: 'List media assets, newest first; filter by type and tag', querystring: listQuery, response: { 200: mediaPage, ...errors(400, 401, 403) } },
    },
    async (req) => {
      const { filter, page } = listing<MediaFilter>(req);
      return services(req).media.list(req.ctx.db, filter, page);
    },
  );

  app.get('/media/:assetId', { config: policy.mediaRead, schema: { summary: 'Read a media asset', params: assetParams, response: { 200: mediaOut, ...errors(400, 401, 403, 404) } } }, async (req) =>
    services(req).media.get(req.ctx.db, param(req, 'assetId')),
  );

  app.get(
    '/media/:assetId/content',
    {
      config: policy.mediaRead,
      schema: {
        summary: "Download a media asset's file",
        description: 'An asset\'s bytes never change, so the answer may be cached for good; send If-None-Match with the ETag to get 304.',
        params: assetParams,
        response: { 200: bytesOut, 304: { type: 'null', description: 'Not modified' }, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const file = await services(req).media.content(caller(req), param(req, 'assetId'));
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
    { config: policy.mediaWrite, schema: { summary: "Change a media asset's alt text or tags", params: assetParams, body: patchBody, response: { 200: mediaOut, ...errors(400, 401, 403, 404, 422) } } },
    async (req) => services(req).media.update(caller(req), param(req, 'assetId'), req.body as MediaPatch),
  );

  app.delete(
    '/media/:assetId',
    {
      config: policy.mediaWrite,
      schema: {
        summary: 'Delete a media asset that no post uses',
        description: 'Refused with 409 MEDIA_IN_USE while the current version of a post, or a scheduled publication, shows the asset.',
        params: assetParams,
        response: { ...noContent, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await services(req).media.remove(caller(req), param(req, 'assetId'));
      return noContentReply(reply);
    },
  );
};
