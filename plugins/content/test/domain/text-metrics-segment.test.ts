import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeContent } from '../../src/domain/text-metrics-analysis.js';
import { CHUNK, chunks, countGraphemes, segmentWords, sentenceSplits } from '../../src/domain/text-metrics-segment.js';
import { repurpose } from '../../src/domain/repurpose.js';
import { graphemeMeasure } from '../../src/domain/repurpose-text.js';
import { measureText } from '@markettina/sdk';

const icuWords = (text: string) => [...new Intl.Segmenter('en', { granularity: 'word' }).segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);
const icuGraphemes = (text: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;

/** A few thousand characters of mixed text: emoji sequences, combining marks, CJK, URLs. */
const mixed = Array.from({ length: 120 }, (_, i) => `Caf\u0065\u0301 ${i} 👨‍👩‍👧 don't naïve 日本語です https://example.com/${i} 👍🏽.`).join(' ');

describe('chunked segmentation', () => {
  test('chunks join back into the text, each cut before a space', () => {
    const parts = chunks(mixed);
    assert.ok(parts.length > 1);
    assert.equal(parts.join(''), mixed);
    for (const p of parts.slice(1)) assert.equal(p[0], ' ');
    assert.ok(parts.every((p) => p.length <= CHUNK));
    const solid = 'x'.repeat(CHUNK * 2 + 5);
    assert.equal(chunks(solid).join(''), solid, 'a run without spaces is cut inside');
  });

  test('words and graphemes come out exactly as ICU gives them for the whole text', () => {
    assert.deepEqual(segmentWords(mixed), icuWords(mixed));
    assert.equal(countGraphemes(mixed), icuGraphemes(mixed));
    const ascii = 'plain words and spaces\tand tabs\n'.repeat(40);
    assert.equal(countGraphemes(ascii), ascii.length);
  });

  test('the repurposing measure matches the SDK measure on long texts', () => {
    for (const urlLength of [undefined, 23]) {
      const measure = graphemeMeasure(urlLength);
      assert.equal(measure(mixed), measureText(mixed, { unit: 'graphemes', ...(urlLength ? { urlLength } : {}) }));
    }
  });

  test('sentence ends: punctuation, then a space, then no lower-case letter; ideographic stops need no space', () => {
    assert.deepEqual(sentenceSplits('It is 3 p.m. today. Next one! "Quoted." Then (bracketed.) End'), ['It is 3 p.m. today. ', 'Next one! ', '"Quoted." ', 'Then (bracketed.) ', 'End']);
    assert.deepEqual(sentenceSplits('今日は晴れ。明日は雨？そうです'), ['今日は晴れ。', '明日は雨？', 'そうです']);
    assert.deepEqual(sentenceSplits('Wait... what?! Yes'), ['Wait... what?! ', 'Yes']);
    assert.deepEqual(sentenceSplits('v1.2 and e.g.this'), ['v1.2 and e.g.this']);
  });
});

describe('texts as long as a piece may be', () => {
  // 100,000 characters: the schema's limit. These ran out of memory when segmented whole.
  const long = `# Title\n\n${'Write one useful article every week and share it where readers are. '.repeat(1465)}`;

  test('are analysed with exact counts', () => {
    assert.ok(long.length > 99_000);
    const a = analyzeContent({ type: 'blog', title: 'Title', body: long, keywords: ['article'], metaTitle: null, metaDescription: null });
    assert.equal(a.metrics.words, 1 + 12 * 1465);
    assert.equal(a.metrics.sentences, 1465);
    assert.equal(a.metrics.characters, long.length);
    assert.equal(a.metrics.keywordDensity, Math.round((1465 / (1 + 12 * 1465)) * 100 * 100) / 100);
  });

  test('are repurposed into a full thread and the other types', () => {
    const source = { type: 'blog' as const, title: 'Title', body: long, parts: [], keywords: ['article'], metaTitle: null, metaDescription: null, generatedBy: 'user' as const };
    assert.equal(repurpose(source, { type: 'thread', platform: 'x' }).parts?.length, 25);
    for (const type of ['social_post', 'email', 'video_script', 'carousel', 'blog'] as const) assert.ok(repurpose(source, { type, platform: 'linkedin' }).title);
  });
});
