import type { IncomingMessage } from 'node:http';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ProblemError, problems } from '@markettina/sdk';
import { PERMISSIONS } from '../contracts.js';
import { fileNameFromDisposition, mediaSettings } from '../domain/media.js';
import { MEDIA_TYPES } from '../domain/media-types.js';
import { caller, services } from './context.js';
import { bytesIn, mediaOut, uploadQuery } from './media-schemas.js';
import { errors } from './schemas.js';

const tooLarge = (maxBytes: number) =>
  new ProblemError({ status: 413, code: 'MEDIA_TOO_LARGE', title: 'Upload too large', detail: `media assets may have at most ${maxBytes} bytes`, extensions: { maxBytes } });

/**
 * Reads the raw body up to the deployment's limit. Past it, the rest is left unread (not
 * destroyed) so the client still gets the 413 answer, as fastify does with its own limit.
 */
function readUpload(request: FastifyRequest, payload: NodeJS.ReadableStream): Promise<Buffer> {
  const maxBytes = mediaSettings(request.services.config).maxUploadBytes;
  if (Number(request.headers['content-length']) > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      stop();
      reject(Object.assign(err, { statusCode: 400 }));
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
  });
}

/**
 * `POST /media`: the body is the file itself, typed by its Content-Type. Its own context
 * holds the only body parsers for media types, so every other route keeps the kernel's
 * JSON parser and its 1 MiB limit.
 */
export const mediaUploadRoute: FastifyPluginAsync = async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...MEDIA_TYPES], (request: FastifyRequest, payload: IncomingMessage) => readUpload(request, payload));

  app.post(
    '/media',
    {
      config: { permission: PERMISSIONS.mediaWrite, rateLimit: 'write' },
      schema: {
        summary: 'Upload a media asset: the raw file as the body, with its Content-Type (PNG, JPEG, GIF, WebP or MP4)',
        description:
          'The declared type must match the bytes. Identical bytes are stored once per account: uploading them again answers 200 with the existing asset. Name the file with `fileName` or `Content-Disposition`.',
        querystring: uploadQuery,
        consumes: [...MEDIA_TYPES],
        body: bytesIn,
        response: { 200: mediaOut, 201: mediaOut, ...errors(400, 401, 403, 413, 415, 422) },
      },
    },
    async (req, reply) => {
      const query = req.query as { fileName?: string; altText?: string; tags?: string[] };
      const fileName = query.fileName ?? fileNameFromDisposition(req.headers['content-disposition']);
      if (!fileName) throw problems.badRequest('FILE_NAME_REQUIRED', 'name the file with ?fileName=... or Content-Disposition: attachment; filename="..."');
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const { asset, created } = await services(req).media.upload(caller(req), {
        bytes,
        contentType: req.headers['content-type'] ?? '',
        fileName,
        altText: query.altText ?? null,
        tags: query.tags ?? [],
      });
      reply.code(created ? 201 : 200).header('location', `/v1/content/media/${asset.id}`);
      return asset;
    },
  );
};
