import { createHash } from 'node:crypto';
import type { DraftMedia, PostDraft } from './draft.js';

/** Cuts `text` to at most `max` characters, at a word where one is near, marking the cut with an ellipsis. */
export function truncateAtWord(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, Math.max(0, max - 1)).join('');
  const lastSpace = cut.search(/\s\S*$/);
  return `${(lastSpace > cut.length / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Reads the named entities HTML escaping produces and numeric ones; others stay as they are. */
export function decodeEntities(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? m;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/** The words of an HTML fragment: tags dropped, block ends as line breaks, entities read. */
const htmlWords = (html: string): string => decodeEntities(html.replace(/<(br|\/p|\/h\d|\/li|\/div)\b[^>]*>/gi, '\n').replace(/<[^>]*>/g, ''));

/**
 * The title a blog post gets: the article's own, else the first line of its text (read as
 * HTML when the article says so), cut to `maxLength` characters, a headline's length.
 */
export function articleTitle(draft: PostDraft, maxLength = 100): string {
  const own = draft.article?.title?.trim();
  if (own) return own;
  const text = draft.article?.format === 'html' ? htmlWords(draft.text) : draft.text;
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  return truncateAtWord(line, maxLength);
}

/** Tag or category names trimmed, blanks dropped, and of names equal but for case the first kept (blogs match them so). */
export function distinctLabels(names: readonly string[] = []): string[] {
  const seen = new Map<string, string>();
  for (const raw of names) {
    const name = raw.trim();
    if (name && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  return [...seen.values()];
}

/** An ASCII slug: accents dropped, every run of other characters one hyphen, at most `maxLength` long. */
export function slugify(text: string, maxLength = 60): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  return ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, maxLength).replace(/-+$/, '');
}

/** A short mark of an idempotency key (12 hex digits of its SHA-256), so that the key itself does not show. */
export const idempotencyMark = (idempotencyKey: string): string => createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12);

/**
 * A slug that carries an idempotency key: the title's slug, a hyphen and the key's mark.
 * For blogs without idempotency keys: a retry that finds a post whose slug ends with the
 * mark knows that an earlier attempt with the same key created it, whatever its title.
 */
export const keyedSlug = (title: string, idempotencyKey: string): string => `${slugify(title) || 'post'}-${idempotencyMark(idempotencyKey)}`;

/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Plain text as paragraphs (parted by blank lines), each a list of its lines. */
export function textParagraphs(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n\s*/)
    .map((p) => p.split('\n').map((l) => l.trimEnd()))
    .filter((lines) => lines.some((l) => l.trim() !== ''));
}

/**
 * When the platform should publish a post: `publishAt` while it is at least `leadMs` ahead
 * of `now`, else undefined (publish now: a post whose time has come, or nearly, goes out).
 */
export function scheduledFor(publishAt: string | undefined, now: Date, leadMs = 0): Date | undefined {
  if (publishAt === undefined) return undefined;
  const at = new Date(publishAt);
  return at.getTime() - now.getTime() >= Math.max(leadMs, 1) ? at : undefined;
}

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/svg+xml': 'svg', 'image/avif': 'avif' };

/**
 * A file name to upload media under: ASCII letters, digits, `_` and `-`, and the extension of
 * its type (blogs check that name and content agree), safe in a Content-Disposition header.
 */
export function mediaFileName(media: Pick<DraftMedia, 'fileName' | 'mimeType'>): string {
  const base = (media.fileName ?? '')
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]*$/, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return `${base || 'file'}.${EXTENSIONS[media.mimeType.toLowerCase()] ?? 'bin'}`;
}
