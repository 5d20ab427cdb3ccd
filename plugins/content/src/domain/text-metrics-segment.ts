/**
 * Unicode segmentation that stays linear on long texts. V8 (Node 20) copies the whole input
 * string for every segment Intl.Segmenter yields, so segmenting a 100,000-character body
 * takes seconds for words and runs out of memory for graphemes. Texts are therefore cut into
 * chunks of at most CHUNK characters before a space (a space always starts a new word and a
 * new grapheme, so nothing is split that ICU would have kept together), and each chunk is
 * segmented alone. A run of more than CHUNK characters without a space (a very long URL, or
 * text in a script written without spaces) is cut inside, which may split one word in two.
 */

export const CHUNK = 512;

const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Consecutive pieces of `text` that join back into it, each at most CHUNK long where a space allows. */
export function chunks(text: string): string[] {
  if (text.length <= CHUNK) return [text];
  const out: string[] = [];
  let start = 0;
  while (text.length - start > CHUNK) {
    let cut = text.lastIndexOf(' ', start + CHUNK);
    if (cut <= start) {
      cut = start + CHUNK;
      // Never between the two halves of a surrogate pair.
      if (/[\uD800-\uDBFF]/.test(text[cut - 1]!)) cut--;
    }
    out.push(text.slice(start, cut));
    start = cut;
  }
  out.push(text.slice(start));
  return out;
}

/** The words of a text (ICU word boundaries), in order. */
export function segmentWords(text: string): string[] {
  const out: string[] = [];
  for (const chunk of chunks(text)) {
    for (const s of wordSegmenter.segment(chunk)) if (s.isWordLike) out.push(s.segment);
  }
  return out;
}

/** User-perceived characters: "👍🏽" and "👨‍👩‍👧" are one each. */
export function* graphemes(text: string): Generator<string> {
  for (const chunk of chunks(text)) for (const s of graphemeSegmenter.segment(chunk)) yield s.segment;
}

/** Printable ASCII, tabs and line feeds: one grapheme per character, no segmenter needed. */
const SIMPLE = /^[\x20-\x7E\t\n]*$/;
export const isSimpleText = (text: string): boolean => SIMPLE.test(text);

export function countGraphemes(text: string): number {
  let n = 0;
  for (const chunk of chunks(text)) {
    if (SIMPLE.test(chunk)) n += chunk.length;
    else for (const _ of graphemeSegmenter.segment(chunk)) n++;
  }
  return n;
}

const TERMINAL = new Set(['.', '!', '?', '…']);
const IDEOGRAPHIC_TERMINAL = new Set(['。', '！', '？']);
const CLOSER = new Set(['"', "'", '”', '’', '»', ')', ']', '」', '』']);
const SPACE = /\s/u;
const LOWER = /\p{Ll}/u;

/**
 * Pieces of a text that each end where a sentence does (the last may not). A sentence ends at
 * terminal punctuation (with any closing quotes or brackets) followed by spaces and then by
 * anything but a lower-case letter ("3 p.m. today" is one sentence), or at an ideographic
 * full stop, which needs no space. One pass over the text: ICU sentence boundaries would be
 * quadratic on a long paragraph, and so would a regular expression on runs of dots.
 */
export function sentenceSplits(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ideographic = IDEOGRAPHIC_TERMINAL.has(text[i]!);
    if (!ideographic && !TERMINAL.has(text[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && (TERMINAL.has(text[j]!) || IDEOGRAPHIC_TERMINAL.has(text[j]!))) j++;
    while (j < text.length && CLOSER.has(text[j]!)) j++;
    let k = j;
    while (k < text.length && SPACE.test(text[k]!)) k++;
    const next = text.codePointAt(k);
    if (ideographic || (k > j && (next === undefined || !LOWER.test(String.fromCodePoint(next))))) {
      out.push(text.slice(start, k));
      start = k;
    }
    i = Math.max(k, i + 1);
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}
