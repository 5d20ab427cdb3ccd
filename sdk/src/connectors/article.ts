import { createHash } from 'node:crypto';
import type { PostDraft } from './draft.js';

/** Cuts `text` to at most `max` characters, at a word where one is near, marking the cut with an ellipsis. */
export function truncateAtWord(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, Math.max(0, max - 1)).join('');
  const lastSpace = cut.search(/\s\S*$/);
  return `${(lastSpace > cut.length / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The words of an HTML fragment: tags dropped, the common entities read. */
function htmlWords(html: string): string {
  return html
    .replace(/<(br|\/p|\/h\d|\/li|\/div)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, name: string) => {
      if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? m;
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    });
}

/**
 * The title a blog post gets: the article's own, else the first line of its text (read as
 * HTML when the article says so), cut to `maxLength` characters.
 */
export function articleTitle(draft: PostDraft, maxLength: number): string {
  const own = draft.article?.title?.trim();
  if (own) return own;
  const text = draft.article?.format === 'html' ? htmlWords(draft.text) : draft.text;
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  return truncateAtWord(line, maxLength);
}

/** An ASCII slug: accents dropped, every run of other characters one hyphen, at most `maxLength` long. */
export function slugify(text: string, maxLength = 60): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  return ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, maxLength).replace(/-+$/, '');
}

/**
 * A slug that carries an idempotency key: the title's slug and a hash of the key. For blogs
 * without idempotency keys: slugs are unique and can be looked up, so a retry that finds a
 * post under this slug knows that an earlier attempt created it. The same title and key
 * always give the same slug; the key itself does not show.
 */
export function keyedSlug(title: string, idempotencyKey: string): string {
  const mark = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12);
  return `${slugify(title) || 'post'}-${mark}`;
}

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
