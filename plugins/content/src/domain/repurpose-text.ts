/**
 * Fitting text into a length: cutting at word boundaries, packing sentences into posts,
 * picking the sentences that carry a text, making hashtags. Lengths are measured by the
 * caller's `Measure` (graphemes, with the platform's URL weighting).
 */
import { measureText } from '@markettina/sdk';
import { parseBlocks } from './text-metrics-markdown.js';
import { proseBlocks, sentencesOf, words } from './text-metrics.js';

export type Measure = (text: string) => number;

export const graphemeMeasure = (urlLength?: number): Measure => (text) => measureText(text, { unit: 'graphemes', ...(urlLength !== undefined ? { urlLength } : {}) });

const ELLIPSIS = '…';
const graphemeSegmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The longest prefix of `text` (whole graphemes) that fits `limit`. */
function cutGraphemes(text: string, limit: number, measure: Measure): string {
  let out = '';
  for (const { segment } of graphemeSegmenter.segment(text)) {
    if (measure(out + segment) > limit) break;
    out += segment;
  }
  return out;
}

/** `text` if it fits, else its longest run of whole words that fits with "…" after it. */
export function cutToFit(text: string, limit: number, measure: Measure): string {
  const clean = text.trim();
  if (measure(clean) <= limit) return clean;
  if (limit < 1) return '';
  let out = '';
  for (const word of clean.split(/\s+/)) {
    const next = out ? `${out} ${word}` : word;
    if (measure(next + ELLIPSIS) > limit) break;
    out = next;
  }
  if (!out) out = cutGraphemes(clean, limit - measure(ELLIPSIS), measure);
  return out.replace(/[\s,;:.–—-]+$/u, '') + ELLIPSIS;
}

/** Pieces of one sentence that each fit `limit`, split between words (or inside a word too long for any post). */
function chunks(sentence: string, limit: number, measure: Measure): string[] {
  const out: string[] = [];
  let current = '';
  for (let word of sentence.split(/\s+/).filter(Boolean)) {
    while (measure(word) > limit) {
      if (current) out.push(current);
      current = '';
      const head = cutGraphemes(word, limit, measure);
      out.push(head);
      word = word.slice(head.length);
    }
    const next = current ? `${current} ${word}` : word;
    if (current && measure(next) > limit) {
      out.push(current);
      current = word;
    } else current = next;
  }
  if (current) out.push(current);
  return out;
}

/** Sentences packed in order into as few posts of at most `limit` as a greedy fill gives. */
export function pack(sentences: readonly string[], limit: number, measure: Measure): string[] {
  const posts: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    for (const chunk of measure(sentence) > limit ? chunks(sentence, limit, measure) : [sentence]) {
      const next = current ? `${current} ${chunk}` : chunk;
      if (current && measure(next) > limit) {
        posts.push(current);
        current = chunk;
      } else current = next;
    }
  }
  if (current) posts.push(current);
  return posts;
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
