import type { DraftArticle, JsonSchema, PostDraft } from '@markettina/sdk';

const mediaSchema = {
  type: 'object',
  properties: {
    mimeType: { type: 'string', pattern: '^[a-z]+/[a-z0-9.+-]+$', maxLength: 100 },
    data: { type: 'string', contentEncoding: 'base64', maxLength: 134_217_728 },
    sizeBytes: { type: 'integer', minimum: 0 },
    altText: { type: 'string', maxLength: 5_000 },
    fileName: { type: 'string', maxLength: 255 },
  },
  required: ['mimeType'],
  additionalProperties: false,
} as const;

const partProperties = {
  text: { type: 'string', maxLength: 100_000 },
  media: { type: 'array', maxItems: 20, items: mediaSchema },
} as const;

const labels = { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 1_000 } } as const;

/** Title, excerpt, labels and timing of a blog post (see `DraftArticle`); connectors hold them to their limits. */
const articleSchema = {
  type: 'object',
  properties: {
    title: { type: 'string', maxLength: 100_000 },
    excerpt: { type: 'string', maxLength: 100_000 },
    format: { type: 'string', enum: ['text', 'html'] },
    tags: labels,
    categories: labels,
    status: { type: 'string', enum: ['publish', 'draft'] },
    publishAt: { type: 'string', format: 'date-time' },
  },
  additionalProperties: false,
} as const;

/** A draft over REST: media carry their bytes as base64 (`data`) or only their size for validation. */
export const draftSchema: JsonSchema = {
  type: 'object',
  properties: {
    ...partProperties,
    thread: { type: 'array', maxItems: 100, items: { type: 'object', properties: partProperties, required: ['text'], additionalProperties: false } },
    firstComment: { type: 'string', maxLength: 100_000 },
    article: articleSchema,
  },
  required: ['text'],
  additionalProperties: false,
};

interface RestMedia {
  mimeType: string;
  data?: string;
  sizeBytes?: number;
  altText?: string;
  fileName?: string;
}
interface RestPart {
  text: string;
  media?: RestMedia[];
}
export interface RestDraft extends RestPart {
  thread?: RestPart[];
  firstComment?: string;
  article?: DraftArticle;
}

const media = (m: RestMedia) => ({
  mimeType: m.mimeType,
  ...(m.data !== undefined ? { data: new Uint8Array(Buffer.from(m.data, 'base64')) } : {}),
  ...(m.sizeBytes !== undefined ? { sizeBytes: m.sizeBytes } : {}),
  ...(m.altText !== undefined ? { altText: m.altText } : {}),
  ...(m.fileName !== undefined ? { fileName: m.fileName } : {}),
});
const part = (p: RestPart) => ({ text: p.text, ...(p.media ? { media: p.media.map(media) } : {}) });

export function toPostDraft(d: RestDraft): PostDraft {
  return {
    ...part(d),
    ...(d.thread ? { thread: d.thread.map(part) } : {}),
    ...(d.firstComment !== undefined ? { firstComment: d.firstComment } : {}),
    ...(d.article ? { article: d.article } : {}),
  };
}

/** Whether any post of the draft has attachments (whose bytes are not kept with a stored draft). */
export const hasMedia = (d: RestDraft) => [d, ...(d.thread ?? [])].some((p) => (p.media ?? []).length > 0);

/** The draft as stored with a post: without media bytes. */
export function storedDraft(d: RestDraft): RestDraft {
  const strip = (p: RestPart): RestPart => ({ text: p.text, ...(p.media ? { media: p.media.map(({ data, ...rest }) => ({ ...rest, ...(data !== undefined ? { sizeBytes: Buffer.byteLength(data, 'base64') } : {}) })) } : {}) });
  return { ...strip(d), ...(d.thread ? { thread: d.thread.map(strip) } : {}), ...(d.firstComment !== undefined ? { firstComment: d.firstComment } : {}), ...(d.article ? { article: d.article } : {}) };
}
