import { pageOf, pageQuery, timestamp, uuid, type JsonSchema } from '@markettina/sdk';
import { MEDIA_LIMITS, TAG_PATTERN } from '../domain/media.js';
import { MEDIA_TYPES } from '../domain/media-types.js';
import { nullable, nullableString, params } from './schemas.js';

export const assetParams = params('assetId');

const altText = nullable({ type: 'string', maxLength: MEDIA_LIMITS.altText, description: 'Describes the picture for people who cannot see it' });
const tag = { type: 'string', minLength: 1, maxLength: MEDIA_LIMITS.tagLength, pattern: TAG_PATTERN, description: "Letters, digits, spaces and _ . # & + ' -" } as const;
const tags = { type: 'array', maxItems: MEDIA_LIMITS.tags, items: tag, description: 'Stored trimmed and in lower case, each once' } as const;

export const uploadQuery: JsonSchema = {
  type: 'object',
  properties: {
    fileName: { type: 'string', minLength: 1, maxLength: MEDIA_LIMITS.fileName, description: 'Name of the file; or send Content-Disposition: attachment; filename="..."' },
    altText: { ...altText, type: 'string' },
    tags,
  },
  additionalProperties: false,
};

export const listQuery: JsonSchema = {
  type: 'object',
  properties: {
    ...pageQuery,
    type: { type: 'string', maxLength: 100, pattern: '^[a-z]+(/[a-z0-9.+-]+)?$', description: 'A type (`image/png`) or its first part (`image`, `video`)' },
    tag: { ...tag, description: 'Only assets with this tag' },
  },
  additionalProperties: false,
};

export const patchBody: JsonSchema = {
  type: 'object',
  properties: { altText, tags: { ...tags, description: 'Replaces every tag of the asset' } },
  additionalProperties: false,
  minProperties: 1,
};

export const mediaOut: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    fileName: { type: 'string' },
    mimeType: { enum: [...MEDIA_TYPES] },
    sizeBytes: { type: 'integer', minimum: 1 },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the bytes; the download ETag' },
    width: nullable({ type: 'integer', description: 'Pixels, read from the file headers (images; MP4 from its track header)' }),
    height: nullable({ type: 'integer' }),
    altText: nullableString,
    tags: { type: 'array', items: { type: 'string' } },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'fileName', 'mimeType', 'sizeBytes', 'sha256', 'width', 'height', 'altText', 'tags', 'createdAt', 'updatedAt'],
};

export const mediaPage = pageOf(mediaOut);

const binary = { type: 'string', format: 'binary' } as const;

/** The download, documented under each media type it can have. */
export const bytesOut: JsonSchema = {
  description: 'The file, with its media type as Content-Type and its SHA-256 as ETag',
  content: Object.fromEntries(MEDIA_TYPES.map((type) => [type, { schema: binary }])),
};

/**
 * The upload body, documented as a binary file under `consumes`. No `type`: the body is a
 * Buffer, which the format does not constrain; the route checks the bytes themselves.
 */
export const bytesIn: JsonSchema = { description: 'The file itself', format: 'binary' };
