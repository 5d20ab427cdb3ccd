import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { measureText } from '@markettina/sdk';
import { repurpose, type RepurposeSource } from '../../src/domain/repurpose.js';
import { profileOf } from '../../src/domain/repurpose-platforms.js';
import { cutToFit, graphemeMeasure, hashtag, hashtags, pack, summarize } from '../../src/domain/repurpose-text.js';
import { sentencesOf, words } from '../../src/domain/text-metrics.js';
import { outcomeOf } from '../fixtures/problems.js';

const x = (text: string) => measureText(text, { unit: 'graphemes', urlLength: 23 });

const URL = 'https://example.com/a/very/long/path/that/counts/as/twenty-three/characters/on/x';
/** The source's sentences as a reader sees them (the link keeps its URL when republished). */
const SENTENCES = [
  'Content marketing is the practice of writing useful things for the people you want to reach.',
  'It builds trust over time.',
  `Read the guide (${URL}) to start.`,
  'Good content answers real questions.',
  'It is written for readers, not for search engines.',
  'People share what helps them, and that sharing is the reach you could not buy.',
];
const markdown = (sentence: string) => sentence.replace(`the guide (${URL})`, `[the guide](${URL})`);

const source = (over: Partial<RepurposeSource> = {}): RepurposeSource => ({
  type: 'blog',
  title: 'Content marketing that works',
  body: `# Content marketing that works\n\n${SENTENCES.slice(0, 3).map(markdown).join(' ')}\n\n## Why it matters\n\n${SENTENCES.slice(3).join(' ')}`,
  parts: [],
  keywords: ['content marketing', 'SEO', 'writing tips'],
  metaTitle: 'Content marketing that works: a short guide for teams',
  metaDescription: null,
  generatedBy: 'user',
  ...over,
});


describe('repurposing into a thread', () => {
  test('the title opens, then the sentences follow in order, packed within the platform length and numbered', () => {
    const child = repurpose(source(), { type: 'thread', platform: 'x' });
    const parts = child.parts!;
    assert.ok(parts.length >= 3);
    parts.forEach((p, i) => {
      assert.ok(x(p) <= 280, `post ${i + 1} is ${x(p)} long`);
      assert.ok(p.endsWith(` ${i + 1}/${parts.length}`), p);
    });
    assert.equal(parts[0], `Content marketing that works 1/${parts.length}`);
    const text = parts.slice(1).map((p) => p.replace(/ \d+\/\d+$/, '')).join(' ');
    assert.equal(text, SENTENCES.join(' '), 'every sentence, once, in order');
    for (const sentence of ['It builds trust over time.', 'Good content answers real questions.', 'People share what helps them, and that sharing is the reach you could not buy.']) {
      assert.equal(parts.filter((p) => p.includes(sentence)).length, 1, `${sentence} appears whole in one post`);
    }
    assert.equal(child.platform, 'x');
    assert.deepEqual(child.keywords, source().keywords);
  });

  test('a URL counts as the platform weighs it (23 on X), so a post may hold a longer text', () => {
    const url = `https://example.com/${'p'.repeat(200)}`;
    const child = repurpose(source({ body: `Look at ${url} now.` }), { type: 'thread', platform: 'x' });
    assert.equal(child.parts?.[1], `Look at ${url} now. 2/2`);
  });

  test('a sentence longer than a post is split between words', () => {
    const long = `${'Marketing '.repeat(60).trim()}.`;
    const parts = repurpose(source({ body: long }), { type: 'thread', platform: 'bluesky' }).parts!;
    assert.ok(parts.length >= 3);
    for (const p of parts.slice(1)) {
      assert.ok(measureText(p, { unit: 'graphemes' }) <= 300);
      assert.match(p, /^(Marketing ?)+\.? \d+\/\d+$/);
    }
  });

  test('past the platform\'s post limit the thread stops with "…" in its last post', () => {
    const body = Array.from({ length: 80 }, (_, i) => `Sentence number ${i} says something useful about marketing and the way teams write.`).join(' ');
    const parts = repurpose(source({ body }), { type: 'thread', platform: 'x' }).parts!;
    assert.equal(parts.length, 25);
    assert.match(parts[24]!, /… 25\/25$/);
    assert.ok(parts.every((p) => x(p) <= 280));
  });

  test('a thread needs a length: unknown platforms must give maxLength; platforms without threads refuse', () => {
    assert.equal(outcomeOf(() => repurpose(source(), { type: 'thread', platform: 'myspace' })), '422 REPURPOSE_LENGTH_REQUIRED');
    assert.equal(outcomeOf(() => repurpose(source(), { type: 'thread' })), '422 REPURPOSE_LENGTH_REQUIRED');
    assert.equal(outcomeOf(() => repurpose(source(), { type: 'thread', platform: 'linkedin' })), '422 REPURPOSE_NOT_SUPPORTED');
    const custom = repurpose(source(), { type: 'thread', platform: 'myspace', maxLength: 120 }).parts!;
    assert.ok(custom.every((p) => measureText(p, { unit: 'graphemes' }) <= 120));
  });
});

describe('repurposing into other types', () => {
  test('a social post: the title, an excerpt of whole sentences and hashtags, within the length', () => {
    const child = repurpose(source(), { type: 'social_post', platform: 'bluesky' });
    const [title, excerpt, tags] = child.body!.split('\n\n');
    assert.equal(title, 'Content marketing that works');
    assert.ok(sentencesOf(excerpt!).length > 0);
    assert.ok(sentencesOf(excerpt!).every((s) => SENTENCES.includes(s)), excerpt);
    assert.equal(tags, '#ContentMarketing #SEO #WritingTips');
    assert.ok(measureText(child.body!, { unit: 'graphemes' }) <= 300);
  });

  test('a social post uses the meta description as its excerpt when it fits, and drops hashtags that do not', () => {
    const child = repurpose(source({ metaDescription: 'Useful writing earns trust.' }), { type: 'social_post', platform: 'x', maxLength: 70 });
    assert.equal(child.body, 'Content marketing that works\n\nUseful writing earns trust.\n\n#SEO');
    assert.equal(outcomeOf(() => repurpose(source(), { type: 'social_post', platform: 'myspace' })), '422 REPURPOSE_LENGTH_REQUIRED');
  });

  test('an email: subject from the meta title, preheader from an excerpt, body from the source', () => {
    const child = repurpose(source(), { type: 'email' });
    assert.equal(child.title, 'Content marketing that works: a short guide for teams');
    assert.equal(child.metaTitle, child.title);
    assert.ok(child.metaDescription && child.metaDescription.length <= 140);
    assert.equal(child.body, source().body);
    const long = repurpose(source({ metaTitle: null, title: 'A title that goes on and on about content marketing and everything small teams should know' }), { type: 'email' });
    assert.ok(long.title.length <= 78 && long.title.endsWith('…'), long.title);
  });

  test('a video script fits the platform\'s duration at 150 spoken words a minute', () => {
    const body = Array.from({ length: 40 }, (_, i) => `Point ${i} is a sentence of about ten words for the script.`).join('\n\n');
    const script = repurpose(source({ body }), { type: 'video_script', platform: 'tiktok' }).body!;
    assert.match(script, /^HOOK\nContent marketing that works\n\nSCRIPT\nPoint 0 is/);
    assert.ok(words(script).length - 2 <= 150, `${words(script).length} words`);
    assert.ok(words(repurpose(source({ body }), { type: 'video_script', platform: 'youtube' }).body!).length > 300, 'three minutes on YouTube');
  });

  test('a carousel: a title slide and the lead sentence of each paragraph, at most ten slides', () => {
    const body = Array.from({ length: 15 }, (_, i) => `Lead ${i}. Detail ${i}.`).join('\n\n');
    const slides = repurpose(source({ body }), { type: 'carousel', platform: 'instagram' }).parts!;
    assert.equal(slides.length, 10);
    assert.deepEqual(slides.slice(0, 3), ['Content marketing that works', 'Lead 0.', 'Lead 1.']);
  });

  test('a blog from a thread: the parts become paragraphs, with a meta title and description', () => {
    const thread = source({ type: 'thread', parts: ['First post here.', 'Second post there.'], body: 'First post here.\n\nSecond post there.', metaTitle: null });
    const child = repurpose(thread, { type: 'blog', platform: 'medium' });
    assert.equal(child.body, 'First post here.\n\nSecond post there.');
    assert.equal(child.metaTitle, 'Content marketing that works');
    assert.equal(child.metaDescription, 'First post here. Second post there.');
  });
});

describe('fitting text', () => {
  const m = graphemeMeasure();

  test('cut at a word boundary with an ellipsis; a single long word is cut inside', () => {
    assert.equal(cutToFit('short', 10, m), 'short');
    assert.equal(cutToFit('one two three four', 12, m), 'one two…');
    assert.equal(cutToFit('supercalifragilistic', 6, m), 'super…');
    assert.equal(cutToFit('👨‍👩‍👧 family 👍🏽', 9, m), '👨‍👩‍👧 family…', 'emoji count as one character each');
  });

  test('packing never splits a sentence that fits a post', () => {
    assert.deepEqual(pack(['aaa bbb.', 'cc.', 'dddd eeee.'], 12, m), ['aaa bbb. cc.', 'dddd eeee.']);
  });

  test('a summary takes lead sentences first and lists them in text order', () => {
    const paragraphs = [['A1 lead.', 'A2 more.'], ['B1 lead.', 'B2 more.']];
    assert.deepEqual(summarize(paragraphs, 17, m), ['A1 lead.', 'B1 lead.']);
    assert.deepEqual(summarize(paragraphs, 26, m), ['A1 lead.', 'A2 more.', 'B1 lead.']);
  });

  test('hashtags: words in PascalCase, any script, no all-digit tags, no repeats', () => {
    assert.equal(hashtag('content marketing'), '#ContentMarketing');
    assert.equal(hashtag('café crème'), '#CaféCrème');
    assert.equal(hashtag('SEO'), '#SEO');
    assert.equal(hashtag('2027'), undefined);
    assert.equal(hashtag('!!!'), undefined);
    assert.deepEqual(hashtags(['seo', 'SEO', 'b2b marketing', 'x', 'y'], 3), ['#seo', '#B2bMarketing', '#x']);
  });

  test('platform ids are looked up as own keys only', () => {
    assert.equal(profileOf('constructor'), undefined);
    assert.equal(profileOf('__proto__'), undefined);
    assert.equal(profileOf('mastodon')?.maxLength, 500);
  });
});
