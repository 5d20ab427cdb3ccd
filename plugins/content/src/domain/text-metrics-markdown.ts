/**
 * Just enough Markdown to measure prose: block structure (headings, paragraphs, list items,
 * code) and inline markup stripped to the words a reader reads. Not a renderer: setext
 * headings, tables and nested blocks read as paragraphs, which only shifts the counts a little.
 */

export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'code';

export interface Block {
  kind: BlockKind;
  /** Inline markup removed (links keep their text, images and HTML tags go). */
  text: string;
  /** 1 to 6 for a heading. */
  level?: number;
}

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^(#{1,6})\s+(.*)$/;
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])\s+(.*)$/;
const QUOTE = /^>\s?/;
const RULE = /^(?:-{3,}|\*{3,}|_{3,})$/;

export interface ReadOptions {
  /** Keep a link's URL after its text, "text (url)", for text that is republished rather than measured. */
  urls?: boolean;
}

// Link text, URL and title are bounded and exclude the brackets that would open another
// link, so that unclosed or nested brackets cost linear time, never a scan per bracket.
const LINK_TEXT = '[^\\][]{1,200}';
const LINK_TARGET = '\\(\\s*([^()\\s]{0,500})(?:\\s+"[^"\\n]{0,200}")?\\s*\\)';
const IMAGE = new RegExp(`!\\[(?:${LINK_TEXT})?\\]${LINK_TARGET}`, 'g');
const LINK = new RegExp(`\\[(${LINK_TEXT})\\]${LINK_TARGET}`, 'g');

/** Inline Markdown and HTML removed, whitespace collapsed. */
export function inlineText(text: string, options: ReadOptions = {}): string {
  return text
    .replace(IMAGE, '')
    .replace(LINK, options.urls ? '$1 ($2)' : '$1')
    .replace(/<(https?:\/\/[^<>\s]{1,500})>/g, '$1')
    .replace(/<\/?[A-Za-z][^<>]{0,200}>/g, '')
    .replace(/`([^`\n]{1,200})`/g, '$1')
    .replace(/(\*{1,3}|~~)(?=\S)([^*~]*?\S)\1/g, '$2')
    .replace(/(^|[\s(])_{1,3}(?=\S)([^_]*?\S)_{1,3}(?=$|[\s).,;:!?])/g, '$1$2')
    .replace(/\\([\\`*_{}[\]()#+\-.!>])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "Title ##" → "Title": the optional closing hashes of an ATX heading (by hand: a regular expression would backtrack on long runs of spaces). */
function withoutClosingHashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--;
  return end < text.length && (end === 0 || /\s/.test(text[end - 1]!)) ? text.slice(0, end).trimEnd() : text;
}

/** The blocks of a Markdown (or plain) text in order; blank lines part paragraphs. */
export function parseBlocks(markdown: string, options: ReadOptions = {}): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let code: string[] | undefined;
  const flush = () => {
    const text = inlineText(paragraph.join(' '), options);
    if (text) blocks.push({ kind: 'paragraph', text });
    paragraph = [];
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (FENCE.test(line)) {
      flush();
      if (code) {
        blocks.push({ kind: 'code', text: code.join('\n') });
        code = undefined;
      } else code = [];
      continue;
    }
    if (code) {
      code.push(line);
      continue;
    }
    const trimmed = line.trim().replace(QUOTE, '').trim();
    const heading = HEADING.exec(trimmed);
    const item = LIST_ITEM.exec(trimmed);
    if (trimmed === '' || RULE.test(trimmed)) flush();
    else if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: inlineText(withoutClosingHashes(heading[2]!), options) });
    } else if (item) {
      flush();
      const text = inlineText(item[1]!, options);
      if (text) blocks.push({ kind: 'list-item', text });
    } else paragraph.push(trimmed);
  }
  flush();
  // An unclosed fence still holds code, not prose.
  if (code) blocks.push({ kind: 'code', text: code.join('\n') });
  return blocks;
}

/** Prose and headings as plain text, one block per paragraph; code left out. */
export const toPlainText = (markdown: string): string => blocksText(parseBlocks(markdown));

export function blocksText(blocks: readonly Block[]): string {
  return blocks
    .filter((b) => b.kind !== 'code')
    .map((b) => b.text)
    .join('\n\n');
}

const MARKDOWN_LINK = new RegExp(`(?<!!)\\[${LINK_TEXT}\\]\\(\\s*(?:https?://|/|#)[^()\\s]{0,500}(?:\\s+"[^"\\n]{0,200}")?\\s*\\)`, 'g');
const ANY_LINK = new RegExp(`!?\\[(?:${LINK_TEXT})?\\]${LINK_TARGET}`, 'g');
const BARE_URL = /\bhttps?:\/\/[^\s<>)"']+/g;

/** Links a reader can follow: Markdown links (not images), autolinks and bare http(s) URLs. */
export function countLinks(markdown: string): number {
  const markdownLinks = markdown.match(MARKDOWN_LINK)?.length ?? 0;
  const rest = markdown.replace(ANY_LINK, ' ');
  return markdownLinks + (rest.match(BARE_URL)?.length ?? 0);
}
