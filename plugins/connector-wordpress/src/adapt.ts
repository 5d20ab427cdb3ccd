import { articleTitle, escapeHtml, textParagraphs, type DraftMedia, type PostDraft } from '@markettina/sdk';

/** Longest title taken from the first line of a draft that has none. */
export const DERIVED_TITLE_CHARS = 100;

/** A draft as WordPress publishes it: one post; tags and categories by name until publishing finds their ids. */
export interface WordPressPost {
  title: string;
  /** HTML: paragraph blocks made from plain text, or the draft's own HTML. */
  content: string;
  excerpt?: string;
  status: 'publish' | 'draft';
  /** When WordPress should publish it (ISO 8601); publishing decides whether it is still ahead. */
  publishAt?: string;
  tags: string[];
  categories: string[];
  featuredImage?: DraftMedia;
}

/** Plain text as block-editor paragraphs, so the post stays editable block by block. */
export function paragraphBlocks(text: string): string {
  return textParagraphs(text)
    .map((lines) => `<!-- wp:paragraph -->\n<p>${lines.map(escapeHtml).join('<br>')}</p>\n<!-- /wp:paragraph -->`)
    .join('\n\n');
}

/** Names trimmed, blanks dropped, and the first of names equal but for case kept (WordPress matches them so). */
export function distinctNames(names: readonly string[] = []): string[] {
  const seen = new Map<string, string>();
  for (const raw of names) {
    const name = raw.trim();
    if (name && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  return [...seen.values()];
}

export function adapt(draft: PostDraft): WordPressPost {
  const a = draft.article ?? {};
  const image = draft.media?.[0];
  return {
    title: articleTitle(draft, DERIVED_TITLE_CHARS),
    content: a.format === 'html' ? draft.text : paragraphBlocks(draft.text),
    ...(a.excerpt !== undefined ? { excerpt: a.excerpt } : {}),
    status: a.status ?? 'publish',
    ...(a.publishAt !== undefined ? { publishAt: a.publishAt } : {}),
    tags: distinctNames(a.tags),
    categories: distinctNames(a.categories),
    ...(image ? { featuredImage: image } : {}),
  };
}
