import { articleTitle, distinctLabels, textParagraphs, type DraftMedia, type PostDraft } from '@markettina/sdk';

/** A draft as Ghost publishes it: one post, its body as Lexical (Ghost's editor format) or as HTML. */
export interface GhostPost {
  title: string;
  body: { lexical: string } | { html: string };
  customExcerpt?: string;
  status: 'published' | 'draft';
  /** When Ghost should publish it (ISO 8601); publishing decides whether it is still ahead. */
  publishAt?: string;
  tags: string[];
  featureImage?: DraftMedia;
}

const textNode = (text: string) => ({ detail: 0, format: 0, mode: 'normal', style: '', text, type: 'extended-text', version: 1 });
const LINE_BREAK = { type: 'linebreak', version: 1 };

/** Plain text as a Lexical document: a paragraph per paragraph, line breaks within. */
export function lexicalOf(text: string): string {
  const paragraph = (lines: string[]) => ({
    children: lines.flatMap((line, i) => [...(i > 0 ? [LINE_BREAK] : []), ...(line ? [textNode(line)] : [])]),
    direction: 'ltr',
    format: '',
    indent: 0,
    type: 'paragraph',
    version: 1,
  });
  return JSON.stringify({ root: { children: textParagraphs(text).map(paragraph), direction: 'ltr', format: '', indent: 0, type: 'root', version: 1 } });
}

export function adapt(draft: PostDraft): GhostPost {
  const a = draft.article ?? {};
  const image = draft.media?.[0];
  return {
    title: articleTitle(draft),
    body: a.format === 'html' ? { html: draft.text } : { lexical: lexicalOf(draft.text) },
    ...(a.excerpt !== undefined ? { customExcerpt: a.excerpt } : {}),
    status: a.status === 'draft' ? 'draft' : 'published',
    ...(a.publishAt !== undefined ? { publishAt: a.publishAt } : {}),
    tags: distinctLabels(a.tags),
    ...(image ? { featureImage: image } : {}),
  };
}
