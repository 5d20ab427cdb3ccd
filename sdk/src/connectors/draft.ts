import type { ArticleFormat, ConnectorCapabilities } from './capabilities.js';
import { measureText } from './text.js';

/** One attachment. `data` is needed to publish; validation only needs the type and size. */
export interface DraftMedia {
  mimeType: string;
  data?: Uint8Array;
  /** Size in bytes when `data` is not at hand (e.g. validating a draft before upload). */
  sizeBytes?: number;
  altText?: string;
  fileName?: string;
}

export interface DraftPart {
  text: string;
  media?: DraftMedia[];
}

/**
 * What a blog post has besides its body (`text`). Only platforms that declare
 * `capabilities.article` take it; the others refuse a draft that carries one.
 */
export interface DraftArticle {
  /** The headline; without one, the connector takes the first line of `text`. */
  title?: string;
  /** A short summary for listings and previews. */
  excerpt?: string;
  /** How `text` is written; `text` (the default) is plain text whose blank lines part paragraphs. */
  format?: ArticleFormat;
  /** Tag names; the connector finds or creates them on the platform. */
  tags?: string[];
  /** Category names, on platforms that have categories. */
  categories?: string[];
  /** `draft` leaves the post unpublished on the platform, for someone to finish there. */
  status?: 'publish' | 'draft';
  /** ISO 8601 instant the platform publishes the post at; an instant already past publishes now. */
  publishAt?: string;
}

/** What a tenant wants to publish, before any platform has adapted it. */
export interface PostDraft extends DraftPart {
  /** Follow-up posts, each published as a reply to the one before. */
  thread?: DraftPart[];
  /** A comment added under the post right after it is published. */
  firstComment?: string;
  /** Title, excerpt, labels and timing of a blog post. */
  article?: DraftArticle;
}

/** One reason a draft cannot be published as it is. `path` points into the draft: `text`, `thread[1].media[0]`. */
export interface Violation {
  code: ViolationCode | (string & {});
  path: string;
  message: string;
  limit?: number;
  actual?: number;
}

export type ViolationCode =
  | 'TEXT_REQUIRED'
  | 'TEXT_TOO_LONG'
  | 'TOO_MANY_MEDIA'
  | 'MEDIA_UNSUPPORTED'
  | 'MEDIA_TYPE_UNSUPPORTED'
  | 'MEDIA_TOO_LARGE'
  | 'ALT_TEXT_TOO_LONG'
  | 'THREADS_UNSUPPORTED'
  | 'THREAD_TOO_LONG'
  | 'FIRST_COMMENT_UNSUPPORTED'
  | 'ARTICLE_UNSUPPORTED'
  | 'TITLE_TOO_LONG'
  | 'EXCERPT_TOO_LONG'
  | 'FORMAT_UNSUPPORTED'
  | 'TAGS_UNSUPPORTED'
  | 'CATEGORIES_UNSUPPORTED'
  | 'LABEL_TOO_LONG'
  | 'DRAFTS_UNSUPPORTED'
  | 'SCHEDULING_UNSUPPORTED'
  | 'PUBLISH_AT_INVALID';

const sizeOf = (m: DraftMedia) => m.data?.length ?? m.sizeBytes;

/** The byte limit that applies to one MIME type: exact type, then its family, then `maxBytes`. */
export function mediaByteLimit(limits: ConnectorCapabilities['media'], mimeType: string): number | undefined {
  const type = mimeType.toLowerCase();
  const byType = limits.maxBytesByType ?? {};
  return byType[type] ?? byType[`${type.split('/')[0]}/*`] ?? limits.maxBytes;
}

function checkPart(part: DraftPart, at: string, caps: ConnectorCapabilities, out: Violation[]): void {
  const { text, media: limits } = caps;
  const media = part.media ?? [];
  const length = measureText(part.text, text);
  if (text.required && part.text.trim() === '') {
    out.push({ code: 'TEXT_REQUIRED', path: `${at}text`, message: 'this platform needs text in every post' });
  } else if (part.text.trim() === '' && media.length === 0) {
    out.push({ code: 'TEXT_REQUIRED', path: `${at}text`, message: 'a post needs text or media' });
  }
  if (length > text.maxLength) {
    out.push({ code: 'TEXT_TOO_LONG', path: `${at}text`, message: `text is ${length} ${text.unit} long; the limit is ${text.maxLength}`, limit: text.maxLength, actual: length });
  }
  if (media.length > 0 && limits.maxItems === 0) {
    out.push({ code: 'MEDIA_UNSUPPORTED', path: `${at}media`, message: 'this platform takes no media' });
    return;
  }
  if (media.length > limits.maxItems) {
    out.push({ code: 'TOO_MANY_MEDIA', path: `${at}media`, message: `${media.length} attachments; the limit is ${limits.maxItems}`, limit: limits.maxItems, actual: media.length });
  }
  media.forEach((m, i) => {
    const path = `${at}media[${i}]`;
    if (!limits.types.includes(m.mimeType.toLowerCase())) {
      out.push({ code: 'MEDIA_TYPE_UNSUPPORTED', path, message: `${m.mimeType} is not accepted; use one of ${limits.types.join(', ')}` });
    }
    const size = sizeOf(m);
    const maxBytes = mediaByteLimit(limits, m.mimeType);
    if (maxBytes !== undefined && size !== undefined && size > maxBytes) {
      out.push({ code: 'MEDIA_TOO_LARGE', path, message: `${size} bytes; the limit for ${m.mimeType} is ${maxBytes}`, limit: maxBytes, actual: size });
    }
    if (m.altText !== undefined && limits.altTextMaxLength !== undefined && [...m.altText].length > limits.altTextMaxLength) {
      out.push({ code: 'ALT_TEXT_TOO_LONG', path: `${path}.altText`, message: `alt text is longer than ${limits.altTextMaxLength} characters`, limit: limits.altTextMaxLength, actual: [...m.altText].length });
    }
  });
}

const chars = (s: string) => [...s].length;

function checkArticle(article: DraftArticle, caps: ConnectorCapabilities, out: Violation[]): void {
  const limits = caps.article;
  if (!limits) {
    out.push({ code: 'ARTICLE_UNSUPPORTED', path: 'article', message: 'this platform publishes short posts, without a title, excerpt or tags' });
    return;
  }
  const tooLong = (code: ViolationCode, path: string, what: string, value: string | undefined, max: number) => {
    if (value !== undefined && chars(value) > max) out.push({ code, path, message: `${what} is ${chars(value)} characters long; the limit is ${max}`, limit: max, actual: chars(value) });
  };
  tooLong('TITLE_TOO_LONG', 'article.title', 'the title', article.title, limits.titleMaxLength);
  tooLong('EXCERPT_TOO_LONG', 'article.excerpt', 'the excerpt', article.excerpt, limits.excerptMaxLength);
  if (article.format !== undefined && !limits.formats.includes(article.format)) {
    out.push({ code: 'FORMAT_UNSUPPORTED', path: 'article.format', message: `${article.format} is not taken; use one of ${limits.formats.join(', ')}` });
  }
  if (article.tags?.length && !limits.tags) out.push({ code: 'TAGS_UNSUPPORTED', path: 'article.tags', message: 'this platform has no tags' });
  if (article.categories?.length && !limits.categories) out.push({ code: 'CATEGORIES_UNSUPPORTED', path: 'article.categories', message: 'this platform has no categories' });
  for (const field of ['tags', 'categories'] as const) {
    (article[field] ?? []).forEach((name, i) => tooLong('LABEL_TOO_LONG', `article.${field}[${i}]`, 'the name', name.trim(), limits.labelMaxLength));
  }
  if (article.status === 'draft' && !limits.drafts) out.push({ code: 'DRAFTS_UNSUPPORTED', path: 'article.status', message: 'this platform keeps no drafts' });
  if (article.publishAt !== undefined) {
    if (!limits.scheduling) out.push({ code: 'SCHEDULING_UNSUPPORTED', path: 'article.publishAt', message: 'this platform does not publish at a later time by itself' });
    else if (Number.isNaN(Date.parse(article.publishAt))) out.push({ code: 'PUBLISH_AT_INVALID', path: 'article.publishAt', message: 'publishAt must be an ISO 8601 instant' });
    else if (article.status === 'draft') out.push({ code: 'PUBLISH_AT_INVALID', path: 'article.publishAt', message: 'a draft is not published, so it takes no publishAt' });
  }
}

/** Checks a draft against declared capabilities only; connectors add their own rules on top. */
export function checkDraft(draft: PostDraft, caps: ConnectorCapabilities): Violation[] {
  const out: Violation[] = [];
  checkPart(draft, '', caps, out);
  const thread = draft.thread ?? [];
  if (thread.length > 0) {
    if (!caps.threads) {
      out.push({ code: 'THREADS_UNSUPPORTED', path: 'thread', message: 'this platform does not publish threads' });
    } else if (thread.length + 1 > caps.threads.maxPosts) {
      out.push({ code: 'THREAD_TOO_LONG', path: 'thread', message: `${thread.length + 1} posts; the limit is ${caps.threads.maxPosts}`, limit: caps.threads.maxPosts, actual: thread.length + 1 });
    }
    thread.forEach((part, i) => checkPart(part, `thread[${i}].`, caps, out));
  }
  if (draft.firstComment !== undefined) {
    if (!caps.firstComment) {
      out.push({ code: 'FIRST_COMMENT_UNSUPPORTED', path: 'firstComment', message: 'this platform does not take a first comment' });
    } else {
      const length = measureText(draft.firstComment, caps.text);
      if (length > caps.text.maxLength) {
        out.push({ code: 'TEXT_TOO_LONG', path: 'firstComment', message: `first comment is ${length} ${caps.text.unit} long; the limit is ${caps.text.maxLength}`, limit: caps.text.maxLength, actual: length });
      }
    }
  }
  if (draft.article !== undefined) checkArticle(draft.article, caps, out);
  return out;
}
