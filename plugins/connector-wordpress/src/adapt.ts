import { articleTitle, distinctLabels, escapeHtml, textParagraphs, type DraftMedia, type PostDraft } from '@markettina/sdk';

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

export function adapt(draft: PostDraft): WordPressPost {
  const a = draft.article ?? {};
  const image = draft.media?.[0];
  return {
    title: articleTitle(draft),
    content: a.format === 'html' ? draft.text : paragraphBlocks(draft.text),
    ...(a.excerpt !== undefined ? { excerpt: a.excerpt } : {}),
    status: a.status ?? 'publish',
    ...(a.publishAt !== undefined ? { publishAt: a.publishAt } : {}),
    tags: distinctLabels(a.tags),
    categories: distinctLabels(a.categories),
    ...(image ? { featuredImage: image } : {}),
  };
}
