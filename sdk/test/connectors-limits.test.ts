import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressProblem, checkDraft, measureText, type ConnectorCapabilities } from '@markettina/sdk';

const caps: ConnectorCapabilities = {
  text: { maxLength: 10, unit: 'graphemes', urlLength: 5, required: false },
  media: { maxItems: 2, types: ['image/png'], maxBytes: 100, altTextMaxLength: 4 },
  threads: { maxPosts: 2 },
  firstComment: false,
  delete: true,
  edit: false,
  metrics: [],
  comments: false,
  channels: false,
  publishIdempotency: 'none',
  rateLimits: [],
};
const codes = (v: { code: string; path: string }[]) => v.map((x) => `${x.code}@${x.path}`);

describe('measureText', () => {
  test('counts graphemes, code points or bytes as declared', () => {
    const family = '👨‍👩‍👧';
    assert.equal(measureText(`${family}é`, { unit: 'graphemes' }), 2);
    assert.equal(measureText('👍🏽é', { unit: 'characters' }), 3);
    assert.equal(measureText('é', { unit: 'bytes' }), 2);
  });

  test('every URL weighs urlLength, however long it is', () => {
    const text = `see https://example.com/${'a'.repeat(300)} and http://x.io`;
    assert.equal(measureText(text, { unit: 'characters', urlLength: 23 }), 'see  and '.length + 46);
  });
});

describe('checkDraft', () => {
  test('a draft within every limit has no violations', () => {
    assert.deepEqual(checkDraft({ text: 'hi https://example.com/very/long/path', media: [{ mimeType: 'image/png', sizeBytes: 100, altText: 'ok' }], thread: [{ text: 'two' }] }, caps), []);
  });

  test('each declared limit is reported where it is broken', () => {
    const v = checkDraft(
      {
        text: 'x'.repeat(11),
        media: [{ mimeType: 'image/gif', sizeBytes: 1 }, { mimeType: 'image/png', sizeBytes: 101 }, { mimeType: 'image/png', altText: 'toolong' }],
        thread: [{ text: '' }, { text: 'three' }],
        firstComment: 'no',
      },
      caps,
    );
    assert.deepEqual(codes(v), [
      'TEXT_TOO_LONG@text',
      'TOO_MANY_MEDIA@media',
      'MEDIA_TYPE_UNSUPPORTED@media[0]',
      'MEDIA_TOO_LARGE@media[1]',
      'ALT_TEXT_TOO_LONG@media[2].altText',
      'THREAD_TOO_LONG@thread',
      'TEXT_REQUIRED@thread[0].text',
      'FIRST_COMMENT_UNSUPPORTED@firstComment',
    ]);
  });

  test('per-type byte limits override the general one, exact type before family', () => {
    const media = { ...caps.media, types: ['image/png', 'video/mp4'], maxBytes: 1000, maxBytesByType: { 'image/*': 10, 'image/png': 20 } };
    const big = (mimeType: string, sizeBytes: number) => checkDraft({ text: 'x', media: [{ mimeType, sizeBytes }] }, { ...caps, media });
    assert.deepEqual(codes(big('image/png', 20)), []);
    assert.deepEqual(codes(big('image/png', 21)), ['MEDIA_TOO_LARGE@media[0]']);
    assert.deepEqual(codes(big('video/mp4', 1000)), []);
    assert.deepEqual(codes(big('video/mp4', 1001)), ['MEDIA_TOO_LARGE@media[0]']);
  });

  test('threads and media are refused outright where the platform has none', () => {
    const none = { ...caps, threads: false as const, media: { maxItems: 0, types: [] } };
    assert.deepEqual(codes(checkDraft({ text: 'a', thread: [{ text: 'b' }], media: [{ mimeType: 'image/png' }] }, none)), ['MEDIA_UNSUPPORTED@media', 'THREADS_UNSUPPORTED@thread']);
  });
});

describe('addressProblem', () => {
  const closed = { allowLoopback: false, allowPrivate: false };
  test('refuses loopback, private, link-local and mapped addresses unless allowed', () => {
    for (const a of ['127.0.0.1', '::1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '::ffff:10.0.0.1', 'fd00::1', '0.0.0.0']) {
      assert.ok(addressProblem(a, closed), `${a} should be refused`);
    }
    assert.equal(addressProblem('127.0.0.1', { allowLoopback: true, allowPrivate: false }), undefined);
    assert.ok(addressProblem('10.0.0.1', { allowLoopback: true, allowPrivate: false }));
    assert.equal(addressProblem('10.0.0.1', { allowLoopback: false, allowPrivate: true }), undefined);
  });

  test('public addresses pass', () => {
    for (const a of ['93.184.216.34', '2606:2800:220:1::1']) assert.equal(addressProblem(a, closed), undefined);
  });
});
