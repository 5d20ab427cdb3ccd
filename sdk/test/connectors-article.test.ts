import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  articleTitle,
  checkDraft,
  CONNECTOR_CONTRACT_VERSION,
  defineConnector,
  decodeEntities,
  distinctLabels,
  escapeHtml,
  idempotencyMark,
  keyedSlug,
  mediaFileName,
  scheduledFor,
  slugify,
  textParagraphs,
  truncateAtWord,
  type ConnectorCapabilities,
} from '@markettina/sdk';

const social: ConnectorCapabilities = {
  text: { maxLength: 100, unit: 'characters', required: false },
  media: { maxItems: 0, types: [] },
  threads: false,
  firstComment: false,
  delete: true,
  edit: false,
  metrics: [],
  comments: false,
  channels: false,
  publishIdempotency: 'none',
  rateLimits: [],
};
const blog: ConnectorCapabilities = {
  ...social,
  article: { titleMaxLength: 5, excerptMaxLength: 3, formats: ['text'], tags: true, categories: false, labelMaxLength: 4, drafts: false, scheduling: true },
};
const codes = (v: { code: string; path: string }[]) => v.map((x) => `${x.code}@${x.path}`);

describe('article drafts', () => {
  test('a platform of short posts refuses an article', () => {
    assert.deepEqual(codes(checkDraft({ text: 'hi', article: { title: 'T' } }, social)), ['ARTICLE_UNSUPPORTED@article']);
  });

  test('a blog holds each article field to its declared limit', () => {
    assert.deepEqual(checkDraft({ text: 'hi', article: { title: 'é'.repeat(5), excerpt: 'abc', tags: [' news '], publishAt: '2030-01-01T00:00:00Z', format: 'text' } }, blog), []);
    const v = checkDraft({ text: 'hi', article: { title: '👍🏽👍🏽👍🏽', excerpt: 'abcd', format: 'html', tags: ['ok', 'toolong'], categories: ['Sports'], status: 'draft', publishAt: 'soon' } }, blog);
    assert.deepEqual(codes(v), [
      'TITLE_TOO_LONG@article.title',
      'EXCERPT_TOO_LONG@article.excerpt',
      'FORMAT_UNSUPPORTED@article.format',
      'CATEGORIES_UNSUPPORTED@article.categories',
      'LABEL_TOO_LONG@article.tags[1]',
      'LABEL_TOO_LONG@article.categories[0]',
      'DRAFTS_UNSUPPORTED@article.status',
      'PUBLISH_AT_INVALID@article.publishAt',
    ]);
    assert.equal(v[0]!.actual, 6, 'titles count code points');
  });

  test('a draft with a publication time is a contradiction', () => {
    const caps = { ...blog, article: { ...blog.article!, drafts: true } };
    assert.deepEqual(codes(checkDraft({ text: 'hi', article: { status: 'draft', publishAt: '2030-01-01T00:00:00Z' } }, caps)), ['PUBLISH_AT_INVALID@article.publishAt']);
  });

  test('defineConnector refuses a malformed article declaration', () => {
    const def = {
      contractVersion: CONNECTOR_CONTRACT_VERSION,
      id: 'blog',
      name: 'Blog',
      version: '1.0.0',
      defaultOrigin: 'https://blog.example',
      auth: { kind: 'credentials' as const, fields: { type: 'object' }, refresh: false },
      capabilities: { ...blog, article: { ...blog.article!, titleMaxLength: 0, formats: ['markdown' as 'text'] } },
      adapt: () => ({}),
      identify: async () => ({ externalId: 'x', displayName: 'x' }),
      publish: async () => ({ status: 'failed' as const, code: 'X', reason: 'x' }),
      checkStatus: async () => ({ status: 'deleted' as const, externalId: 'x' }),
      delete: async () => undefined,
    };
    assert.throws(() => defineConnector(def), /titleMaxLength must be a positive integer.*formats must list some of text, html/);
  });
});

describe('article helpers', () => {
  test('the title is the article title, else the first line of the text, cut at a word', () => {
    assert.equal(articleTitle({ text: 'body', article: { title: '  Launch  ' } }, 10), 'Launch');
    assert.equal(articleTitle({ text: '\n  We shipped the new editor today\nmore' }, 20), 'We shipped the new…');
    assert.equal(articleTitle({ text: '<p>Tom &amp; Jerry&#39;s <em>day</em></p><p>two</p>', article: { format: 'html' } }, 50), "Tom & Jerry's day");
  });

  test('truncation keeps short text and cuts long words when there is no space', () => {
    assert.equal(truncateAtWord('short', 5), 'short');
    assert.equal(truncateAtWord('abcdefghij', 5), 'abcd…');
  });

  test('slugs are ASCII, lower case and hyphenated', () => {
    assert.equal(slugify('  Crème Brûlée: 10 tips!  '), 'creme-brulee-10-tips');
    assert.equal(slugify('日本語'), '');
    assert.equal(slugify('a'.repeat(10) + ' b', 11), 'aaaaaaaaaa');
  });

  test('a keyed slug is the same for the same title and key, different for another key, and hides the key', () => {
    const a = keyedSlug('Hello World', 'key-1');
    assert.equal(a, `hello-world-${idempotencyMark('key-1')}`);
    assert.match(a, /^hello-world-[0-9a-f]{12}$/);
    assert.equal(keyedSlug('Hello World', 'key-1'), a);
    assert.notEqual(keyedSlug('Hello World', 'key-2'), a);
    assert.ok(!a.includes('key'));
    assert.match(keyedSlug('日本語', 'k'), /^post-[0-9a-f]{12}$/);
  });

  test('labels are trimmed, and of names equal but for case the first is kept', () => {
    assert.deepEqual(distinctLabels(['News', ' news ', 'AI', '', 'ai']), ['News', 'AI']);
  });

  test('media file names are ASCII with the extension of their type', () => {
    assert.equal(mediaFileName({ fileName: 'C:\\photos\\Été 2030.JPEG', mimeType: 'image/jpeg' }), 'Ete-2030.jpg');
    assert.equal(mediaFileName({ mimeType: 'image/png' }), 'file.png');
    assert.equal(mediaFileName({ fileName: '"; evil=".png', mimeType: 'image/webp' }), 'evil.webp');
  });

  test('text becomes paragraphs of lines; HTML is escaped', () => {
    assert.deepEqual(textParagraphs('one\ntwo\r\n\r\n\n  \nthree  \n\n'), [['one', 'two'], ['three']]);
    assert.equal(escapeHtml('<a href="x">&</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
    assert.equal(decodeEntities('R&amp;D &lt;3 &#39;q&#x27; &copy;'), "R&D <3 'q' &copy;");
  });

  test('a publication time is kept only while it is far enough ahead', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    assert.equal(scheduledFor(undefined, now), undefined);
    assert.equal(scheduledFor('2029-12-31T23:00:00Z', now), undefined);
    assert.equal(scheduledFor('2030-01-01T00:01:00Z', now, 120_000), undefined);
    assert.equal(scheduledFor('2030-01-01T00:05:00+00:00', now, 120_000)?.toISOString(), '2030-01-01T00:05:00.000Z');
  });
});
