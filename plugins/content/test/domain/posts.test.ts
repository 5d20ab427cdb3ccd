import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProblemError } from '@markettina/sdk';
import { applyContentPatch, assertExpectedVersion, assertVariantCount, changedFields, mediaAssetIds, normalizeContent, sameContent, textsOf } from '../../src/domain/posts.js';

const A1 = '00000000-0000-4000-8000-000000000001';
const A2 = '00000000-0000-4000-8000-000000000002';

describe('post content', () => {
  test('normalised: defaults filled, keys in one order, variants sorted', () => {
    const c = normalizeContent({ text: 'Hi', variants: { x: { text: 'X' }, bluesky: { thread: [{ text: 't' } as never] } } });
    assert.deepEqual(c, { title: '', text: 'Hi', media: [], thread: [], firstComment: null, article: null, variants: { bluesky: { thread: [{ text: 't', media: [] }] }, x: { text: 'X' } } });
    assert.deepEqual(Object.keys(c.variants), ['bluesky', 'x']);
  });

  test('the same content written differently is the same; a patch replaces only what it names', () => {
    const a = normalizeContent({ text: 'Hi', variants: { b: { text: '1' }, a: { text: '2' } } });
    const b = normalizeContent({ variants: { a: { text: '2' }, b: { text: '1' } }, text: 'Hi', title: '' });
    assert.ok(sameContent(a, b));
    const patched = applyContentPatch(a, { title: 'New', firstComment: 'c' });
    assert.deepEqual([patched.title, patched.text, patched.firstComment], ['New', 'Hi', 'c']);
    assert.deepEqual(patched.variants, a.variants);
    assert.equal(applyContentPatch(patched, { firstComment: null }).firstComment, null);
    assert.deepEqual(changedFields(a, patched), ['title', 'firstComment']);
    assert.deepEqual(changedFields(undefined, a), ['title', 'text', 'media', 'thread', 'firstComment', 'article', 'variants']);
  });

  test('media ids and texts come from the base and every variant', () => {
    const c = normalizeContent({
      text: 'Base',
      media: [{ assetId: A1 }],
      thread: [{ text: 'T1', media: [{ assetId: A2 }] }],
      firstComment: 'FC',
      variants: { m: { text: 'M', media: [{ assetId: A1 }], firstComment: null } },
    });
    assert.deepEqual(mediaAssetIds(c), [A1, A2]);
    assert.deepEqual(textsOf(c), ['Base', 'T1', 'FC', 'M']);
  });

  test('at most 20 variants', () => {
    const many = (n: number) => normalizeContent({ text: 'x', variants: Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { text: 'v' }])) });
    assert.doesNotThrow(() => assertVariantCount(many(20)));
    assert.throws(() => assertVariantCount(many(21)), (err: unknown) => isProblemError(err) && err.status === 422 && err.code === 'VARIANTS_TOO_MANY');
  });

  test('a stale expected version is 412 POST_VERSION_MISMATCH; none means no check', () => {
    assert.doesNotThrow(() => assertExpectedVersion(3, undefined));
    assert.doesNotThrow(() => assertExpectedVersion(3, 3));
    assert.throws(() => assertExpectedVersion(3, 2), (err: unknown) => isProblemError(err) && err.status === 412 && err.code === 'POST_VERSION_MISMATCH' && err.extensions.currentVersion === 3);
  });
});
