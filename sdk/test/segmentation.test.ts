import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countGraphemes, measureText, segmentGraphemes, TEXT_SLICE_LENGTH, textSlices } from '@markettina/sdk';

// Reference results: the whole string segmented at once (only ever on short texts here).
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });
const wholeGraphemes = (text: string) => Array.from(graphemeSegmenter.segment(text), (s) => s.segment);
const wholeWords = (text: string) => Array.from(wordSegmenter.segment(text)).filter((s) => s.isWordLike).map((s) => s.segment);

/** Pieces that cluster in every way UAX #29 knows, and some that must not cluster. */
const PIECES = [
  '👨‍👩‍👧', // emoji ZWJ sequence
  '👍🏽', // emoji with a skin tone modifier
  '🏴󠁧󠁢󠁥󠁮󠁧󠁿', // flag from tag characters
  '🇫🇷', '🇮', // regional indicators: pairs, and a lone one that shifts the pairing after it
  'e\u0301\u0323', // combining marks
  ' \u0301', // a combining mark on a space
  '\u1100\u1161\u11A8', // Hangul jamo L V T
  '日本語', 'テキスト', // CJK
  'שָׁלוֹם', 'مَرْحَبًا', // RTL with marks
  'क्षि', // Devanagari conjunct
  '\u0600', // prepended concatenation mark: joins whatever follows, a space too
  '\r\n', '\t', '\u200d', '\ud83d', // CR LF, a tab, a lone ZWJ, a lone surrogate
  'a', 'Word', ' ',
];

/** A deterministic text of `count` pieces. */
function mixedText(count: number, seed: number, pieces = PIECES): string {
  let state = seed;
  let text = '';
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    text += pieces[(state >>> 16) % pieces.length];
  }
  return text;
}

describe('text slices', () => {
  test('end only at grapheme boundaries of the whole text, whatever the slice length', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const text = mixedText(40, seed);
      const expected = wholeGraphemes(text);
      for (const maxLength of [2, 3, 5, 8, 13]) {
        const slices = textSlices(text, maxLength);
        assert.equal(slices.join(''), text);
        assert.deepEqual(slices.flatMap(wholeGraphemes), expected, `${JSON.stringify(text)} in slices of ${maxLength}`);
      }
    }
  });

  test('end before a space where there is one, so words come out as from the whole text', () => {
    const text = mixedText(3000, 7, PIECES.filter((p) => p !== '\u0600').concat(' ', ' ', ' ', ' '));
    const slices = textSlices(text);
    assert.ok(slices.length > 10);
    assert.ok(slices.every((s) => s.length <= TEXT_SLICE_LENGTH));
    for (const s of slices.slice(1)) assert.equal(s[0], ' ');
    assert.deepEqual(slices.flatMap(wholeWords), wholeWords(text));
  });

  test('a grapheme longer than the slice length stays whole', () => {
    const huge = `e${'\u0301'.repeat(3 * TEXT_SLICE_LENGTH)}`;
    const text = `ab${huge}cd ${huge}`;
    assert.deepEqual(textSlices(text).flatMap(wholeGraphemes), ['a', 'b', huge, 'c', 'd', ' ', huge]);
  });
});

describe('graphemes of texts longer than a slice', () => {
  const runWithoutSpaces = mixedText(1500, 11, PIECES.filter((p) => !p.includes(' ')));

  test('are those of the whole text, wherever the slices fall', () => {
    for (const [shift, body] of [[0, runWithoutSpaces], [1, runWithoutSpaces], [TEXT_SLICE_LENGTH - 1, runWithoutSpaces], [3, mixedText(1500, 5)]] as const) {
      const text = 'x'.repeat(shift) + body;
      assert.ok(text.length > 3 * TEXT_SLICE_LENGTH);
      const expected = wholeGraphemes(text);
      assert.deepEqual([...segmentGraphemes(text)], expected);
      assert.equal(countGraphemes(text), expected.length);
      assert.equal(measureText(text, { unit: 'graphemes' }), expected.length);
    }
  });

  test('of plain ASCII are its characters', () => {
    const text = 'plain words, tabs\tand lines\n'.repeat(100);
    assert.equal(countGraphemes(text), text.length);
    assert.deepEqual([...segmentGraphemes(text)], [...text]);
  });
});

describe('texts of 100,000 and 1,000,000 characters', () => {
  // Segmented whole, these take seconds (100,000) or run out of memory (1,000,000).
  const prose = 'Café 👨‍👩‍👧 naïve 日本語 שָׁלוֹם 🇫🇷 https://example.com/a e\u0301 ';
  const solid = 'e\u0301👍🏽日本שָׁ🏴󠁧󠁢󠁥󠁮󠁧󠁿क्षि';
  /** `unit` repeated to at least `length`, with its grapheme count: repeats do not cluster across their joins. */
  const repeated = (unit: string, length: number) => {
    const times = Math.ceil(length / unit.length);
    const perUnit = wholeGraphemes(unit).length;
    assert.equal(wholeGraphemes(unit + unit).length, 2 * perUnit);
    return { text: unit.repeat(times), graphemes: times * perUnit, times };
  };

  for (const length of [100_000, 1_000_000]) {
    test(`are measured exactly at ${length.toLocaleString('en')} characters`, () => {
      const text = repeated(prose, length);
      assert.ok(text.text.length >= length);
      assert.equal(measureText(text.text, { unit: 'graphemes' }), text.graphemes);
      const url = 'https://example.com/a';
      assert.equal(measureText(text.text, { unit: 'graphemes', urlLength: 23 }), text.graphemes - text.times * (url.length - 23));

      const run = repeated(solid, length);
      assert.equal(countGraphemes(run.text), run.graphemes);
      let n = 0;
      for (const _ of segmentGraphemes(run.text)) n++;
      assert.equal(n, run.graphemes);

      assert.equal(countGraphemes('a'.repeat(length)), length);
      assert.equal(countGraphemes(`e${'\u0301'.repeat(length - 1)}`), 1);
    });
  }
});
