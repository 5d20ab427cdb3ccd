/**
 * Unicode segmentation that stays linear on long texts. Slicing and graphemes come from the
 * SDK (why and how: sdk/src/segmentation.ts); words are segmented slice by slice. Slices end
 * before a space where one is near, so nothing is split that ICU would have kept together,
 * except in a run longer than a slice without a space (a very long URL, or text in a script
 * written without spaces), where one word may be split in two.
 */
import { textSlices } from '@markettina/sdk';

export { countGraphemes, segmentGraphemes as graphemes, TEXT_SLICE_LENGTH as CHUNK, textSlices as chunks } from '@markettina/sdk';

const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });

/** The words of a text (ICU word boundaries), in order. */
export function segmentWords(text: string): string[] {
  const out: string[] = [];
  for (const chunk of textSlices(text)) {
    for (const s of wordSegmenter.segment(chunk)) if (s.isWordLike) out.push(s.segment);
  }
  return out;
}

/** Printable ASCII, tabs and line feeds: one grapheme per character, no segmenter needed. */
const SIMPLE = /^[\x20-\x7E\t\n]*$/;
export const isSimpleText = (text: string): boolean => SIMPLE.test(text);

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
