import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeContent } from '../../src/domain/posts.js';
import { effectiveContent, publicationDraft, type ResolvedMedia } from '../../src/domain/variants.js';

const A1 = '00000000-0000-4000-8000-000000000001';
const A2 = '00000000-0000-4000-8000-000000000002';

const post = normalizeContent({
  title: 'Spring launch',
  text: 'Our new #CaféLatte is here, a long text for blogs',
  media: [{ assetId: A1, altText: 'A latte' }],
  thread: [{ text: 'Part two', media: [] }],
  firstComment: 'Link in bio',
  article: { excerpt: 'Coffee news', format: 'html', tags: ['coffee'] },
  variants: {
    mastodon: { text: 'New #CaféLatte!', firstComment: null, article: null },
    bluesky: { media: [{ assetId: A2 }], thread: [] },
    ghost: { title: 'Our spring latte', article: { excerpt: 'Fresh' } },
  },
});

const media: ResolvedMedia = new Map([
  [A1, { blobKey: 'k1', mimeType: 'image/png', sizeBytes: 10, altText: 'stored alt' }],
  [A2, { blobKey: 'k2', mimeType: 'image/jpeg', sizeBytes: 20 }],
]);

describe('effective draft for a platform', () => {
  test('a platform without a variant gets the base', () => {
    const { variants: _v, ...base } = post;
    assert.deepEqual(effectiveContent(post, 'x'), base);
    assert.deepEqual(effectiveContent(post, 'toString'), base, 'no prototype keys taken for platforms');
  });

  test('fields in the variant replace the base; null removes; the rest is inherited', () => {
    const m = effectiveContent(post, 'mastodon');
    assert.equal(m.text, 'New #CaféLatte!');
    assert.equal(m.firstComment, null);
    assert.equal(m.article, null);
    assert.deepEqual(m.media, post.media);
    assert.deepEqual(m.thread, post.thread);
    const b = effectiveContent(post, 'bluesky');
    assert.deepEqual(b.media, [{ assetId: A2 }]);
    assert.deepEqual(b.thread, []);
    assert.equal(b.text, post.text);
  });

  test('article fields merge one by one into the base article', () => {
    const g = effectiveContent(post, 'ghost');
    assert.equal(g.title, 'Our spring latte');
    assert.deepEqual(g.article, { excerpt: 'Fresh', format: 'html', tags: ['coffee'] });
  });
});

describe('publication draft', () => {
  test('media by blob key, alt text from the post over the asset, title as headline, empty parts left out', () => {
    assert.deepEqual(publicationDraft(effectiveContent(post, 'ghost'), media), {
      text: post.text,
      media: [{ blobKey: 'k1', mimeType: 'image/png', sizeBytes: 10, altText: 'A latte' }],
      thread: [{ text: 'Part two' }],
      firstComment: 'Link in bio',
      article: { title: 'Our spring latte', excerpt: 'Fresh', format: 'html', tags: ['coffee'] },
    });
    assert.deepEqual(publicationDraft(effectiveContent(post, 'mastodon'), media), {
      text: 'New #CaféLatte!',
      media: [{ blobKey: 'k1', mimeType: 'image/png', sizeBytes: 10, altText: 'A latte' }],
      thread: [{ text: 'Part two' }],
    });
    assert.deepEqual(publicationDraft(effectiveContent(post, 'bluesky'), media).media, [{ blobKey: 'k2', mimeType: 'image/jpeg', sizeBytes: 20 }]);
  });

  test('a media reference that was not resolved is a programming error', () => {
    assert.throws(() => publicationDraft(effectiveContent(post, 'x'), new Map()), RangeError);
  });
});
