import { mediaByteLimit, type ConnectorCapabilities, type PostDraft, type TextUnit, type ViolationCode } from '../../index.js';

/**
 * Text of exactly `n` units, built from characters that tell the units apart: one
 * grapheme made of two code points, one code point of two UTF-8 bytes, or ASCII bytes.
 * A connector that counts the wrong unit gets these wrong.
 */
export function textOfLength(n: number, unit: TextUnit): string {
  if (n <= 0) return '';
  if (unit === 'graphemes') return '👍🏽'.repeat(n);
  if (unit === 'characters') return 'é'.repeat(n);
  return 'a'.repeat(n);
}

export interface LimitDraft {
  name: string;
  draft: PostDraft;
  /** The violation the draft must produce, or null when it must pass. */
  expect: ViolationCode | null;
}

function articleDrafts(caps: ConnectorCapabilities, ok: string): LimitDraft[] {
  const a = caps.article;
  if (!a) return [{ name: 'an article where none is taken', draft: { text: ok, article: { title: 'A title' } }, expect: 'ARTICLE_UNSUPPORTED' }];
  const chars = (n: number) => textOfLength(n, 'characters');
  const later = '2099-01-01T00:00:00Z';
  const out: LimitDraft[] = [
    { name: `a title of exactly ${a.titleMaxLength} characters`, draft: { text: ok, article: { title: chars(a.titleMaxLength) } }, expect: null },
    { name: `a title of ${a.titleMaxLength + 1} characters`, draft: { text: ok, article: { title: chars(a.titleMaxLength + 1) } }, expect: 'TITLE_TOO_LONG' },
    { name: `an excerpt of ${a.excerptMaxLength + 1} characters`, draft: { text: ok, article: { excerpt: chars(a.excerptMaxLength + 1) } }, expect: 'EXCERPT_TOO_LONG' },
    { name: 'tags', draft: { text: ok, article: { tags: ['one'] } }, expect: a.tags ? null : 'TAGS_UNSUPPORTED' },
    { name: `a tag of ${a.labelMaxLength + 1} characters`, draft: { text: ok, article: { tags: [chars(a.labelMaxLength + 1)] } }, expect: 'LABEL_TOO_LONG' },
    { name: 'categories', draft: { text: ok, article: { categories: ['One'] } }, expect: a.categories ? null : 'CATEGORIES_UNSUPPORTED' },
    { name: 'a draft status', draft: { text: ok, article: { status: 'draft' } }, expect: a.drafts ? null : 'DRAFTS_UNSUPPORTED' },
    { name: 'a later publishAt', draft: { text: ok, article: { publishAt: later } }, expect: a.scheduling ? null : 'SCHEDULING_UNSUPPORTED' },
  ];
  if (a.tags) out.push({ name: `a tag of exactly ${a.labelMaxLength} characters`, draft: { text: ok, article: { tags: [chars(a.labelMaxLength)] } }, expect: null });
  if (a.excerptMaxLength > 0) out.push({ name: `an excerpt of exactly ${a.excerptMaxLength} characters`, draft: { text: ok, article: { excerpt: chars(a.excerptMaxLength) } }, expect: null });
  if (a.scheduling) out.push({ name: 'a publishAt that is no instant', draft: { text: ok, article: { publishAt: 'next tuesday' } }, expect: 'PUBLISH_AT_INVALID' });
  for (const format of ['text', 'html'] as const) {
    out.push({ name: `the ${format} format`, draft: { text: ok, article: { format } }, expect: a.formats.includes(format) ? null : 'FORMAT_UNSUPPORTED' });
  }
  return out;
}

/** Drafts just inside and just outside every declared limit. */
export function limitDrafts(caps: ConnectorCapabilities): LimitDraft[] {
  const { text, media, threads } = caps;
  const max = text.maxLength;
  const ok = textOfLength(Math.min(max, 20), text.unit);
  const out: LimitDraft[] = [
    { name: `text of exactly ${max} ${text.unit}`, draft: { text: textOfLength(max, text.unit) }, expect: null },
    { name: `text of ${max + 1} ${text.unit}`, draft: { text: textOfLength(max + 1, text.unit) }, expect: 'TEXT_TOO_LONG' },
    { name: 'no text and no media', draft: { text: '' }, expect: 'TEXT_REQUIRED' },
  ];
  if (text.urlLength !== undefined && max > text.urlLength + 1) {
    const url = `https://example.com/${'p'.repeat(max)}`;
    const room = max - text.urlLength - 1;
    out.push(
      { name: `a long URL counts as ${text.urlLength}`, draft: { text: `${textOfLength(room, text.unit)} ${url}` }, expect: null },
      { name: 'a long URL plus one unit too many', draft: { text: `${textOfLength(room + 1, text.unit)} ${url}` }, expect: 'TEXT_TOO_LONG' },
    );
  }
  if (media.maxItems === 0) {
    out.push({ name: 'media where none is taken', draft: { text: ok, media: [{ mimeType: 'image/png', sizeBytes: 10 }] }, expect: 'MEDIA_UNSUPPORTED' });
  } else {
    const type = media.types[0]!;
    const item = { mimeType: type, sizeBytes: 10 };
    out.push(
      { name: `${media.maxItems} attachments`, draft: { text: ok, media: Array.from({ length: media.maxItems }, () => ({ ...item })) }, expect: null },
      { name: `${media.maxItems + 1} attachments`, draft: { text: ok, media: Array.from({ length: media.maxItems + 1 }, () => ({ ...item })) }, expect: 'TOO_MANY_MEDIA' },
      { name: 'an undeclared media type', draft: { text: ok, media: [{ mimeType: 'application/x-conformance', sizeBytes: 10 }] }, expect: 'MEDIA_TYPE_UNSUPPORTED' },
    );
    for (const mimeType of media.types) {
      const maxBytes = mediaByteLimit(media, mimeType);
      if (maxBytes === undefined) continue;
      out.push(
        { name: `a ${mimeType} of ${maxBytes} bytes`, draft: { text: ok, media: [{ mimeType, sizeBytes: maxBytes }] }, expect: null },
        { name: `a ${mimeType} of ${maxBytes + 1} bytes`, draft: { text: ok, media: [{ mimeType, sizeBytes: maxBytes + 1 }] }, expect: 'MEDIA_TOO_LARGE' },
      );
    }
  }
  if (threads === false) {
    out.push({ name: 'a thread where none is taken', draft: { text: ok, thread: [{ text: ok }] }, expect: 'THREADS_UNSUPPORTED' });
  } else {
    const parts = (n: number) => Array.from({ length: n }, () => ({ text: ok }));
    out.push(
      { name: `a thread of ${threads.maxPosts} posts`, draft: { text: ok, thread: parts(threads.maxPosts - 1) }, expect: null },
      { name: `a thread of ${threads.maxPosts + 1} posts`, draft: { text: ok, thread: parts(threads.maxPosts) }, expect: 'THREAD_TOO_LONG' },
      { name: 'a thread post over the text limit', draft: { text: ok, thread: [{ text: textOfLength(max + 1, text.unit) }] }, expect: 'TEXT_TOO_LONG' },
    );
  }
  out.push(
    caps.firstComment
      ? { name: 'a first comment', draft: { text: ok, firstComment: ok }, expect: null }
      : { name: 'a first comment where none is taken', draft: { text: ok, firstComment: ok }, expect: 'FIRST_COMMENT_UNSUPPORTED' },
  );
  out.push(...articleDrafts(caps, ok));
  return out;
}

/** Freezes a value and everything in it, so that a pure function that mutates its input throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
