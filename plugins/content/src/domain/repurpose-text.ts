/**
 * Fitting text into a length: cutting at word boundaries, packing sentences into posts,
 * picking the sentences that carry a text, making hashtags. Lengths are measured by the
 * caller's `Measure` (graphemes, with the platform's URL weighting).
 */
import { measureText } from '@markettina/sdk';
import { parseBlocks } from './text-metrics-markdown.js';
import { proseBlocks, sentencesOf, words } from './text-metrics.js';
import { chunks, graphemes, isSimpleText } from './text-metrics-segment.js';

export type Measure = (text: string) => number;

/**
 * Graphemes with the platform's URL weighting, as the SDK's measureText counts them, summed
 * over chunks cut before spaces (URLs end at a space, graphemes never span one), so a long
 * text is measured in linear time. Plain ASCII without a URL is its own length.
 */
export const graphemeMeasure = (urlLength?: number): Measure => {
  const limit = { unit: 'graphemes', ...(urlLength !== undefined ? { urlLength } : {}) } as const;
  return (text) => chunks(text).reduce((sum, chunk) => sum + (isSimpleText(chunk) && !chunk.includes('://') ? chunk.length : measureText(chunk, limit)), 0);
};

const ELLIPSIS = '…';

/** The longest prefix of `text` (whole graphemes) that fits `limit`. */
function cutGraphemes(text: string, limit: number, measure: Measure): string {
  let out = '';
  let length = 0;
  for (const segment of graphemes(text)) {
    length += measure(segment);
    if (length > limit) break;
    out += segment;
  }
  return out;
}

/**
 * `text` if it fits, else its longest run of whole words that fits with "…" after it. Lengths
 * add up word by word (graphemes and URLs never span a space), so this is linear.
 */
export function cutToFit(text: string, limit: number, measure: Measure): string {
  const clean = text.trim();
  if (measure(clean) <= limit) return clean;
  if (limit < 1) return '';
  const room = limit - measure(ELLIPSIS);
  let out = '';
  let length = 0;
  for (const word of clean.split(/\s+/)) {
    const next = length + (out ? 1 : 0) + measure(word);
    if (next > room) break;
    out = out ? `${out} ${word}` : word;
    length = next;
  }
  if (!out) out = cutGraphemes(clean, room, measure);
  return out.replace(/[\s,;:.–—-]+$/u, '') + ELLIPSIS;
}

/**
 * Units (sentences, or the words of one) packed in order, joined by spaces, into as few posts
 * of at most `limit` as a greedy fill gives. A unit longer than a post is split between its
 * words, and a word longer than a post inside it. Lengths add up unit by unit. With
 * `maxPosts`, packing stops once there are more posts than that (at most maxPosts + 1 come back).
 */
export function pack(units: readonly string[], limit: number, measure: Measure, maxPosts = Infinity): string[] {
  const posts: string[] = [];
  let current = '';
  let length = 0;
  const flush = () => {
    if (current) posts.push(current);
    current = '';
    length = 0;
  };
  for (const unit of units) {
    // Past the most posts wanted, the rest would only be thrown away.
    if (posts.length > maxPosts) break;
    const size = measure(unit);
    if (size > limit) {
      flush();
      const parts = unit.split(/\s+/).filter(Boolean);
      if (parts.length > 1) posts.push(...pack(parts, limit, measure));
      else {
        for (let rest = unit; rest; ) {
          const head = cutGraphemes(rest, limit, measure) || String.fromCodePoint(rest.codePointAt(0)!);
          posts.push(head);
          rest = rest.slice(head.length);
        }
      }
      continue;
    }
    if (current && length + 1 + size > limit) flush();
    current = current ? `${current} ${unit}` : unit;
    length += (current === unit ? 0 : 1) + size;
  }
  flush();
  return posts.slice(0, maxPosts === Infinity ? undefined : maxPosts + 1);
}

/** The sentences of a Markdown text, paragraph by paragraph (headings and code left out, link URLs kept). */
export function paragraphSentences(markdown: string): string[][] {
  return proseBlocks(parseBlocks(markdown, { urls: true }))
    .map((b) => sentencesOf(b.text))
    .filter((s) => s.length > 0);
}

/**
 * An extractive summary within `budget`: first the lead sentence of each paragraph (where
 * writers put the point), then the sentences after them, listed in text order. A sentence
 * costs `cost(sentence)` plus `gap` for the space that joins it to the others.
 */
export function summarize(paragraphs: readonly string[][], budget: number, cost: (sentence: string) => number, gap = 1): string[] {
  const order = [...paragraphs.map((_, i) => [i, 0] as const), ...paragraphs.flatMap((p, i) => p.slice(1).map((_, k) => [i, k + 1] as const))];
  const chosen = new Set<string>();
  let spent = 0;
  for (const [i, k] of order) {
    const price = cost(paragraphs[i]![k]!) + (chosen.size > 0 ? gap : 0);
    if (spent + price > budget) continue;
    spent += price;
    chosen.add(`${i}:${k}`);
  }
  return paragraphs.flatMap((p, i) => p.filter((_, k) => chosen.has(`${i}:${k}`)));
}

/** A hashtag from a keyword: words joined in PascalCase ("content marketing" → #ContentMarketing); none for all-digit keywords. */
export function hashtag(keyword: string): string | undefined {
  const ws = words(keyword.normalize('NFKC')).map((w) => w.replace(/[^\p{L}\p{N}_]/gu, '')).filter(Boolean);
  if (ws.length === 0) return undefined;
  const tag = ws.length === 1 ? ws[0]! : ws.map((w) => [...w][0]!.toLocaleUpperCase('en') + [...w].slice(1).join('')).join('');
  return /^\p{N}+$/u.test(tag) ? undefined : `#${tag}`;
}

/** Hashtags from keywords, distinct ignoring case, at most `max`. */
export function hashtags(keywords: readonly string[], max: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of keywords) {
    const tag = hashtag(k);
    if (!tag || seen.has(tag.toLocaleLowerCase('en'))) continue;
    seen.add(tag.toLocaleLowerCase('en'));
    out.push(tag);
    if (out.length >= max) break;
  }
  return out;
}
