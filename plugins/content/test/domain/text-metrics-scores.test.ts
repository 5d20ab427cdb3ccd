import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeContent, type ContentText } from '../../src/domain/text-metrics-analysis.js';
import { lexicalDiversity, qualityChecks, QUALITY_WEIGHTS, repetitionRatio } from '../../src/domain/text-metrics-quality.js';
import { keywordDensity, occurrences, SEO_WEIGHTS, seoChecks, weightedScore } from '../../src/domain/text-metrics-seo.js';
import { readability } from '../../src/domain/text-metrics.js';

const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

const blog = (over: Partial<ContentText> = {}): ContentText => ({
  type: 'blog',
  title: 'Content marketing for small teams',
  body: `# Content marketing for small teams\n\nContent marketing helps small teams earn attention. Read [the guide](https://example.com/guide).\n\n## Start small\n\n${'Write one useful article every week and share it where your readers are. '.repeat(3)}`,
  keywords: ['content marketing', 'small teams'],
  metaTitle: 'Content marketing for small teams: a practical guide',
  metaDescription: 'How small teams can use content marketing to earn attention: what to write, how often, and where to share it.',
  ...over,
});

const check = (checks: { id: string; score: number }[], id: string) => checks.find((c) => c.id === id)?.score;

describe('SEO checks', () => {
  test('keyword phrases match whole words, ignoring case and punctuation', () => {
    assert.equal(occurrences('Content marketing, CONTENT MARKETING and content-marketing; contents marketing', 'content marketing'), 3);
    assert.equal(occurrences('nothing here', '  '), 0);
    assert.equal(keywordDensity('seo tips and more seo', 'SEO'), 40);
  });

  test('a complete blog passes every check', () => {
    const checks = seoChecks(blog());
    assert.deepEqual(checks.map((c) => c.id).sort(), Object.keys(SEO_WEIGHTS).filter((id) => id !== 'keywordDensity').sort(), 'density is not judged under 150 words');
    assert.ok(checks.every((c) => c.score === 1), JSON.stringify(checks));
    assert.equal(weightedScore(checks), 100);
  });

  test('meta title 30-60 and meta description 70-160 characters; outside the band the score falls off', () => {
    assert.equal(check(seoChecks(blog({ metaTitle: 'x'.repeat(30) })), 'metaTitleLength'), 1);
    assert.equal(check(seoChecks(blog({ metaTitle: 'x'.repeat(60) })), 'metaTitleLength'), 1);
    assert.equal(check(seoChecks(blog({ metaTitle: 'x'.repeat(15) })), 'metaTitleLength'), 0.5);
    assert.equal(check(seoChecks(blog({ metaTitle: 'x'.repeat(75) })), 'metaTitleLength'), 0.5);
    assert.equal(check(seoChecks(blog({ metaTitle: null })), 'metaTitleLength'), 0);
    assert.equal(check(seoChecks(blog({ metaDescription: 'x'.repeat(70) })), 'metaDescriptionLength'), 1);
    assert.equal(check(seoChecks(blog({ metaDescription: 'x'.repeat(161) })), 'metaDescriptionLength'), 69 / 70);
  });

  test('keyword presence in title, meta title and first paragraph', () => {
    const checks = seoChecks(blog({ title: 'Writing for teams', metaTitle: 'Writing for teams, a guide of thirty-odd chars', body: 'First paragraph without it.\n\nContent marketing later.' }));
    assert.deepEqual([check(checks, 'keywordInTitle'), check(checks, 'keywordInMetaTitle'), check(checks, 'keywordInFirstParagraph')], [0, 0, 0]);
    assert.equal(check(seoChecks(blog({ keywords: [] })), 'keywordInTitle'), 0, 'no keywords, nothing to find');
  });

  test('keyword density is healthy between 0.5% and 2.5% of the words, judged from 150 words', () => {
    const text = (mentions: number, total: number) => `${'content marketing '.repeat(mentions)}${filler(total - 2 * mentions)}`;
    const density = (body: string) => check(seoChecks(blog({ body })), 'keywordDensity');
    assert.equal(density(text(2, 200)), 1, '1%');
    assert.equal(density(text(0, 200)), 0);
    assert.equal(density(text(1, 400)), 0.5, '0.25%, half way to the band');
    assert.equal(density(text(10, 200)), 0, '5%, stuffed');
    assert.equal(density(text(6, 200)), 1 - 0.5 / 2.5, '3%');
  });

  test('headings and links count for a blog only', () => {
    const bare = blog({ body: 'Content marketing without structure or links.' });
    assert.deepEqual([check(seoChecks(bare), 'headings'), check(seoChecks(bare), 'links')], [0, 0]);
    const social = seoChecks({ ...bare, type: 'social_post' });
    assert.deepEqual(social.map((c) => c.id), ['keywordInFirstParagraph']);
  });
});

describe('quality', () => {
  test('lexical diversity: the plain type-token ratio for short texts, its moving average for long ones', () => {
    assert.equal(lexicalDiversity(['a', 'b', 'A', 'c']), 0.75);
    const cycle = Array.from({ length: 100 }, (_, i) => `w${i % 25}`);
    assert.equal(lexicalDiversity(cycle), 0.5, 'every 50-word window holds 25 distinct words');
    assert.equal(lexicalDiversity([]), 0);
  });

  test('repetition: the share of three-word phrases seen before', () => {
    assert.equal(repetitionRatio('a b c a b c'.split(' ')), 0.25);
    assert.equal(repetitionRatio('one two three four'.split(' ')), 0);
  });

  test('each measure has its documented weight, and length is judged by type', () => {
    const base = { readability: readability('Short and clear.'), readabilityScore: 100, lexicalDiversity: 1, repetitionRatio: 0, seoScore: 100 };
    const checks = qualityChecks({ ...base, type: 'blog', wordCount: 300 });
    assert.deepEqual(Object.fromEntries(checks.map((c) => [c.id, c.weight])), QUALITY_WEIGHTS);
    assert.equal(check(checks, 'length'), 0.5, 'half of the 600 words a blog wants');
    assert.equal(check(qualityChecks({ ...base, type: 'social_post', wordCount: 40 }), 'length'), 1);
    assert.equal(check(qualityChecks({ ...base, type: 'social_post', wordCount: 120 }), 'length'), 0, 'twice the maximum');
    assert.equal(weightedScore(qualityChecks({ ...base, type: 'social_post', wordCount: 40 })), 100);
  });
});

describe('the analysis of a piece', () => {
  test('scores with a breakdown that says what lowered them, losses adding up to what is missing', () => {
    const a = analyzeContent(blog({ metaDescription: null }));
    assert.equal(a.breakdown.seo[0]?.id, 'metaDescriptionLength', 'the biggest loss first');
    // 15 of the 85 points that apply to a short blog (density is not judged under 150 words).
    assert.equal(a.breakdown.seo[0]?.lost, 17.6);
    assert.equal(a.scores.seo, 82);
    for (const [score, checks] of [[a.scores.quality, a.breakdown.quality], [a.scores.seo, a.breakdown.seo], [a.scores.readability, a.breakdown.readability]] as const) {
      const lost = checks.reduce((sum, c) => sum + c.lost, 0);
      assert.ok(Math.abs(100 - score - lost) <= 1, `${score} + ${lost}`);
    }
    assert.equal(a.breakdown.quality[0]?.id, 'length', 'a short blog loses most on length');
  });

  test('metrics are those of the prose, with the focus keyword density', () => {
    const a = analyzeContent(blog());
    assert.deepEqual([a.metrics.headings, a.metrics.links, a.metrics.paragraphs], [2, 1, 2]);
    assert.ok(a.metrics.keywordDensity !== null && a.metrics.keywordDensity > 0);
    assert.equal(analyzeContent(blog({ keywords: [] })).metrics.keywordDensity, null);
  });

  test('an empty text scores zero readability and is not an error', () => {
    const a = analyzeContent({ type: 'social_post', title: '', body: '', keywords: [], metaTitle: null, metaDescription: null });
    assert.deepEqual(a.scores, { quality: 0, readability: 0, seo: 0 });
    assert.equal(a.metrics.words, 0);
  });
});
