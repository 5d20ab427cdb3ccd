/**
 * Grapheme segmentation that stays linear on long texts. V8 (Node 20) copies the whole input
 * string for every segment Intl.Segmenter yields, so segmenting a 100,000-character text
 * takes seconds and can run out of memory. Texts are therefore cut into slices of at most
 * TEXT_SLICE_LENGTH code units, each segmented alone.
 *
 * A slice ends only where whole-string segmentation has a grapheme boundary, so the results
 * are identical: whether a boundary falls before position p depends only on the text up to
 * and including the code point at p (UAX #29 never looks further right), so every boundary
 * Intl.Segmenter reports strictly inside a window that starts at a boundary is a boundary of
 * the whole text too. Only the window's end is unverified, which is why a slice never ends
 * there. Where it can, a slice ends before a space, which also keeps words whole.
 */

export const TEXT_SLICE_LENGTH = 512;

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Printable ASCII, tabs and line feeds: every character is a grapheme of its own. */
const SIMPLE = /^[\x20-\x7E\t\n]*$/;
const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

interface Slice {
  text: string;
  /** Its graphemes, when they were already segmented to find where it ends. */
  graphemes?: string[];
}

/** The slice starting at `start`, a grapheme boundary of the whole text. */
function sliceAt(text: string, start: number, maxLength: number): Slice {
  for (let length = maxLength; ; length *= 2) {
    let end = start + length;
    if (end >= text.length) return { text: text.slice(start) };
    // The last code point in the window must be whole, or its boundary would be misjudged.
    if (HIGH_SURROGATE.test(text[end - 1]!)) end--;
    const window = text.slice(start, end);
    if (SIMPLE.test(window)) {
      const space = window.lastIndexOf(' ', window.length - 1);
      const cut = space > 0 ? space : window.length - 1;
      if (cut > 0) return { text: window.slice(0, cut) };
      continue;
    }
    const segments: Intl.SegmentData[] = [];
    let beforeSpace = 0;
    for (const s of graphemeSegmenter.segment(window)) {
      segments.push(s);
      if (s.index > 0 && s.segment[0] === ' ') beforeSpace = s.index;
    }
    const cut = beforeSpace || segments[segments.length - 1]!.index;
    if (cut > 0) return { text: window.slice(0, cut), graphemes: segments.filter((s) => s.index < cut).map((s) => s.segment) };
    // One grapheme fills the window (a base with thousands of combining marks): widen it.
  }
}

function* slices(text: string, maxLength: number): Generator<Slice> {
  if (maxLength < 2) throw new RangeError('maxLength must be at least 2');
  for (let start = 0; start < text.length; ) {
    const slice = sliceAt(text, start, maxLength);
    yield slice;
    start += slice.text.length;
  }
}

/**
 * Consecutive slices that join back into `text`, each ending at a grapheme boundary of the
 * whole text (before a space where there is one), so that segmenting them one by one gives
 * what segmenting the whole text would. A slice is at most `maxLength` long unless a single
 * grapheme is longer.
 */
export function textSlices(text: string, maxLength = TEXT_SLICE_LENGTH): string[] {
  return text === '' ? [''] : Array.from(slices(text, maxLength), (s) => s.text);
}

/** User-perceived characters, in order: "👍🏽", "é" (e + U+0301) and "👨‍👩‍👧" are one each. */
export function* segmentGraphemes(text: string): Generator<string> {
  for (const slice of slices(text, TEXT_SLICE_LENGTH)) {
    if (slice.graphemes) yield* slice.graphemes;
    else if (SIMPLE.test(slice.text)) yield* slice.text;
    else for (const s of graphemeSegmenter.segment(slice.text)) yield s.segment;
  }
}

/** How many user-perceived characters `text` has. */
export function countGraphemes(text: string): number {
  let n = 0;
  for (const slice of slices(text, TEXT_SLICE_LENGTH)) {
    if (slice.graphemes) n += slice.graphemes.length;
    else if (SIMPLE.test(slice.text)) n += slice.text.length;
    else for (const _ of graphemeSegmenter.segment(slice.text)) n++;
  }
  return n;
}
