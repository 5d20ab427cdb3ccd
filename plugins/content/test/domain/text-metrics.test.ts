import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countLinks, parseBlocks, toPlainText } from '../../src/domain/text-metrics-markdown.js';
import { countSyllables, isPassiveIsh, readability, readabilityScore, sentencesOf, words } from '../../src/domain/text-metrics.js';

const near = (actual: number | null, expected: number, tolerance = 0.01) => assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

describe('counting', () => {
  test('syllables of common words, checked against a dictionary', () => {
    const dictionary: [string, number][] = [
      ['the', 1], ['cat', 1], ['make', 1], ['makes', 1], ['table', 2], ['tables', 2], ['jumped', 1], ['wanted', 2], ['handled', 2], ['called', 1],
      ['boxes', 2], ['changes', 2], ['social', 2], ['media', 3], ['actual', 3], ['quality', 3], ['language', 2], ['video', 3], ['radio', 3],
      ['million', 2], ['nation', 2], ['going', 2], ['player', 2], ['beautiful', 3], ['lovely', 2], ['completely', 3], ['tourism', 3],
      ['audience', 3], ['creature', 2], ['Australian', 4], ['reptilian', 4], ['education', 4], ['communication', 5], ['strategy', 3],
      ['engagement', 3], ['people', 2], ['naïve', 2], ['café', 2], ['quiet', 2], ['opened', 2], ['trees', 1],
    ];
    for (const [word, syllables] of dictionary) assert.equal(countSyllables(word), syllables, word);
  });

  test('words are Unicode-aware: accents, apostrophes, decimals and scripts without spaces', () => {
    assert.deepEqual(words("Naïve café — don't stop; 日本語です 3.14!"), ['Naïve', 'café', "don't", 'stop', '日本語', 'です', '3.14']);
    assert.equal(countSyllables('日本語'), 1, 'a word without Latin letters counts as one syllable');
    assert.equal(countSyllables('2027'), 1);
  });

  test('sentences end at terminal punctuation, not after common abbreviations', () => {
    assert.deepEqual(sentencesOf('Mr. Smith met Dr. Jones at 3 p.m. today. They talked, e.g. about cats! Was it fun? Yes.'), [
      'Mr. Smith met Dr. Jones at 3 p.m. today.',
      'They talked, e.g. about cats!',
      'Was it fun?',
      'Yes.',
    ]);
    assert.deepEqual(sentencesOf('No full stop at the end'), ['No full stop at the end']);
    assert.deepEqual(sentencesOf('  ... !'), []);
  });

  test('passive voice, roughly: a form of "to be" and a participle, adverbs allowed between', () => {
    for (const s of ['The report was written by the team.', 'The ball was quickly thrown.', 'Mistakes were not made.', 'It is often seen here.', 'The files are being processed.']) assert.ok(isPassiveIsh(s), s);
    for (const s of ['The team wrote the report.', 'She was happy.', 'They were open all day.', 'It is seven o\'clock.']) assert.ok(!isPassiveIsh(s), s);
  });
});

describe('readability', () => {
  // Flesch's own scale, with the examples of the published descriptions of the formula.
  test('"The cat sat on the mat." scores 116.15 reading ease (grade −1.45)', () => {
    const r = readability('The cat sat on the mat.');
    assert.deepEqual([r.words, r.sentences, r.syllables], [6, 1, 6]);
    near(r.fleschReadingEase, 116.15);
    near(r.fleschKincaidGrade, -1.45);
    assert.equal(readabilityScore(r), 100, 'clamped to the 0-100 scale');
  });

  test('the platypus sentence: 13 words, 26 syllables, reading ease 24.4', () => {
    const r = readability('The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.');
    assert.deepEqual([r.words, r.sentences, r.syllables], [13, 1, 26]);
    near(r.fleschReadingEase, 24.44);
    near(r.fleschKincaidGrade, 13.08);
    assert.equal(readabilityScore(r), 24);
  });

  test('a hand-counted paragraph: 25 words, 31 syllables, 3 sentences', () => {
    const r = readability('The sun rose over the quiet town. Birds began to sing in the old oak trees. A baker opened his shop and lit the ovens.');
    assert.deepEqual([r.words, r.sentences, r.syllables], [25, 3, 31]);
    // 206.835 − 1.015 × 25/3 − 84.6 × 31/25 and 0.39 × 25/3 + 11.8 × 31/25 − 15.59
    near(r.fleschReadingEase, 93.47);
    near(r.fleschKincaidGrade, 2.29);
    near(r.averageSentenceLength, 8.33);
    near(r.averageSyllablesPerWord, 1.24);
  });

  test('headings and code are not prose; list items are sentences of their own', () => {
    const r = readability('# A heading with many long words\n\n- one item\n- two items\n\n```\nconst x = 1;\n```\n\nA short paragraph.');
    assert.deepEqual([r.sentences, r.words], [3, 7]);
  });

  test('long-sentence and passive ratios are shares of the sentences', () => {
    const long = `${'word '.repeat(21).trim()}.`;
    const r = readability(`${long} The report was written. Short one. Fine.`);
    assert.equal(r.longSentenceRatio, 0.25);
    assert.equal(r.passiveRatio, 0.25);
  });

  test('no prose means no reading ease and a readability score of 0', () => {
    const r = readability('```\ncode only\n```');
    assert.equal(r.fleschReadingEase, null);
    assert.equal(readabilityScore(r), 0);
  });
});

describe('markdown', () => {
  test('blocks: headings with levels, list items, paragraphs joined across lines, code kept apart', () => {
    const blocks = parseBlocks('# Title #\nText on\ntwo lines.\n\n## Sub\n1. first\n* second\n> quoted line\n\n```js\nx()\n```');
    assert.deepEqual(
      blocks.map((b) => [b.kind, b.text, b.level]),
      [
        ['heading', 'Title', 1],
        ['paragraph', 'Text on two lines.', undefined],
        ['heading', 'Sub', 2],
        ['list-item', 'first', undefined],
        ['list-item', 'second', undefined],
        ['paragraph', 'quoted line', undefined],
        ['code', 'x()', undefined],
      ],
    );
  });

  test('inline markup is stripped to what a reader reads', () => {
    assert.equal(toPlainText('**Bold**, _italic_, `code`, [a link](https://x.example) ![img](i.png) <b>tag</b> snake_case_name'), 'Bold, italic, code, a link tag snake_case_name');
  });

  test('links: Markdown links, autolinks and bare URLs; images are not links', () => {
    assert.equal(countLinks('[a](https://a.example) and <https://b.example> and https://c.example/x ![img](https://d.example/i.png) [rel](/about)'), 4);
  });
});
