import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { measureText } from '@markettina/sdk';
import { capabilities } from '../src/capabilities.js';
import { blueskyConnector } from '../src/connector.js';
import { detectFacets, type DetectedFacet } from '../src/facets.js';
import { isTid, partKey, recordKeyFor } from '../src/record-key.js';
import { lexFacets, parseAtUri, parseLanguages, postRecord, postUrl, replyTo } from '../src/records.js';
import { jwtExpiry } from '../src/session.js';
import { graphemeLength, textByteViolations, utf8Length } from '../src/text.js';

/** The text a facet covers, read from the UTF-8 bytes as a PDS or AppView reads it. */
const covered = (text: string, f: DetectedFacet) => Buffer.from(text, 'utf8').subarray(f.byteStart, f.byteEnd).toString('utf8');
const features = (text: string) => detectFacets(text).map((f) => [covered(text, f), f.feature]);

const FAMILY = '👨‍👩‍👧'; // three people joined by zero-width joiners: 18 bytes
const THUMB = '👍🏽'; // thumbs up with a skin tone: 8 bytes
const E_ACUTE = 'e\u0301'; // e + combining acute accent: 3 bytes

describe('Bluesky text', () => {
  test('graphemes count what a reader sees as one character', () => {
    for (const one of [THUMB, FAMILY, E_ACUTE, 'é', '🇮🇹', 'a']) assert.equal(graphemeLength(one), 1, one);
    assert.equal(graphemeLength(`${FAMILY} ${E_ACUTE}!`), 4);
    assert.deepEqual([THUMB, FAMILY, E_ACUTE, 'é'].map(utf8Length), [8, 18, 3, 2]);
  });

  test('the declared limit counts graphemes, as the lexicon does', () => {
    assert.equal(capabilities.text.unit, 'graphemes');
    assert.equal(measureText(E_ACUTE.repeat(300), capabilities.text), 300);
    assert.deepEqual(blueskyConnector.validate({ text: E_ACUTE.repeat(300) }), []);
    assert.deepEqual(blueskyConnector.validate({ text: E_ACUTE.repeat(301) }).map((v) => v.code), ['TEXT_TOO_LONG']);
  });

  test('300 graphemes can still be over the 3,000-byte cap, which validate reports with its path', () => {
    assert.deepEqual(textByteViolations({ text: THUMB.repeat(300) }), [], '2,400 bytes');
    const family = FAMILY.repeat(200);
    assert.equal(graphemeLength(family), 200);
    const violations = blueskyConnector.validate({ text: 'ok', thread: [{ text: family }] });
    assert.deepEqual(violations.map((v) => [v.code, v.path, v.limit, v.actual]), [['TEXT_TOO_LONG', 'thread[0].text', 3000, 3600]]);
  });
});

describe('Bluesky facets', () => {
  test('links, mentions and tags carry UTF-8 byte offsets', () => {
    const text = 'Hi @alice.bsky.social, read https://example.com/a?b=1 #launch';
    assert.deepEqual(detectFacets(text), [
      { byteStart: 3, byteEnd: 21, feature: { kind: 'mention', handle: 'alice.bsky.social' } },
      { byteStart: 28, byteEnd: 53, feature: { kind: 'link', uri: 'https://example.com/a?b=1' } },
      { byteStart: 54, byteEnd: 61, feature: { kind: 'tag', tag: 'launch' } },
    ]);
  });

  test('emoji and combining characters before and inside a facet shift it by their bytes', () => {
    const text = `${FAMILY}${THUMB} #cafe\u0301 @Bob.Example.com ${E_ACUTE} https://example.com/${E_ACUTE}`;
    const facets = detectFacets(text);
    assert.deepEqual(facets.map((f) => f.byteStart), [27, 35, 56]);
    assert.deepEqual(features(text), [
      ['#cafe\u0301', { kind: 'tag', tag: 'cafe\u0301' }],
      ['@Bob.Example.com', { kind: 'mention', handle: 'bob.example.com' }],
      [`https://example.com/${E_ACUTE}`, { kind: 'link', uri: `https://example.com/${E_ACUTE}` }],
    ]);
  });

  test('sentence punctuation ends a link or a handle; a parenthesis the link opened stays', () => {
    assert.deepEqual(features('(see https://example.com/x). Ask @alice.bsky.social.'), [
      ['https://example.com/x', { kind: 'link', uri: 'https://example.com/x' }],
      ['@alice.bsky.social', { kind: 'mention', handle: 'alice.bsky.social' }],
    ]);
    assert.deepEqual(features('https://en.wikipedia.org/wiki/Foo_(bar)!'), [['https://en.wikipedia.org/wiki/Foo_(bar)', { kind: 'link', uri: 'https://en.wikipedia.org/wiki/Foo_(bar)' }]]);
  });

  test('a fullwidth hash starts a tag; trailing punctuation does not belong to it', () => {
    assert.deepEqual(features('＃日本語! and #go-live.'), [
      ['＃日本語', { kind: 'tag', tag: '日本語' }],
      ['#go-live', { kind: 'tag', tag: 'go-live' }],
    ]);
  });

  test('what is not a facet: numbers, keycaps, mid-word marks, e-mail addresses, hosts without a dot, over-long tags', () => {
    const long = 'a'.repeat(65);
    assert.deepEqual(detectFacets(`#1 #️⃣ a#b mail me@example.com, @localhost, http://localhost/x, # alone, #${long}`), []);
    assert.equal(detectFacets(`#${'a'.repeat(64)}`).length, 1);
  });

  test('a mention or tag inside a link is part of the link', () => {
    assert.deepEqual(features('https://bsky.app/profile/alice.bsky.social#top'), [['https://bsky.app/profile/alice.bsky.social#top', { kind: 'link', uri: 'https://bsky.app/profile/alice.bsky.social#top' }]]);
  });

  test('stored facets: mentions take the resolved DID, and an unresolved handle stays plain text', () => {
    const detected = detectFacets('@alice.bsky.social @nobody.example.com #tag https://example.com');
    assert.deepEqual(lexFacets(detected, new Map([['alice.bsky.social', 'did:plc:alice']])), [
      { index: { byteStart: 0, byteEnd: 18 }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:alice' }] },
      { index: { byteStart: 39, byteEnd: 43 }, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: 'tag' }] },
      { index: { byteStart: 44, byteEnd: 63 }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.com' }] },
    ]);
  });
});

describe('Bluesky records', () => {
  test('the record key is a TID holding the first 63 bits of the idempotency key\u2019s SHA-256', () => {
    const key = 'post-7f3c';
    const rkey = recordKeyFor(key);
    assert.ok(isTid(rkey), rkey);
    assert.equal(recordKeyFor(key), rkey, 'the same key gives the same record key');
    const decoded = [...rkey].reduce((n, c) => (n << 5n) | BigInt('234567abcdefghijklmnopqrstuvwxyz'.indexOf(c)), 0n);
    assert.equal(decoded, createHash('sha256').update(key).digest().readBigUInt64BE(0) & 0x7fffffffffffffffn);
    const many = Array.from({ length: 500 }, (_, i) => recordKeyFor(`k${i}`));
    assert.ok(many.every(isTid));
    assert.equal(new Set(many).size, many.length);
  });

  test('each post of a thread has a key of its own, the first the post\u2019s', () => {
    assert.equal(partKey('k', 0), 'k');
    assert.notEqual(recordKeyFor(partKey('k', 1)), recordKeyFor(partKey('k', 2)));
  });

  test('a reply keeps the thread root; a reply to a first post roots at it', () => {
    const first = { uri: 'at://did:plc:a/app.bsky.feed.post/3k1', cid: 'bafy1' };
    const second = { uri: 'at://did:plc:a/app.bsky.feed.post/3k2', cid: 'bafy2' };
    const toFirst = replyTo(first, undefined);
    assert.deepEqual(toFirst, { root: first, parent: first });
    assert.deepEqual(replyTo(second, toFirst), { root: first, parent: second });
  });

  test('a post record leaves out what it does not use', () => {
    assert.deepEqual(postRecord({ text: 'hi', createdAt: '2026-01-01T00:00:00.000Z', langs: [], facets: [], images: [] }), { $type: 'app.bsky.feed.post', text: 'hi', createdAt: '2026-01-01T00:00:00.000Z' });
    const image = { image: { $type: 'blob' as const, ref: { $link: 'bafkrei1' }, mimeType: 'image/png', size: 68 }, alt: 'a dot' };
    const reply = replyTo({ uri: 'at://did:plc:a/app.bsky.feed.post/3k1', cid: 'bafy1' }, undefined);
    const full = postRecord({ text: 'hi', createdAt: '2026-01-01T00:00:00.000Z', langs: ['en'], facets: [], reply, images: [image] });
    assert.deepEqual(full.embed, { $type: 'app.bsky.embed.images', images: [image] });
    assert.deepEqual(full.langs, ['en']);
    assert.deepEqual(full.reply, reply);
  });

  test('AT URIs of posts, and their bsky.app pages', () => {
    const uri = 'at://did:plc:abc/app.bsky.feed.post/3kabcdefghij2';
    assert.deepEqual(parseAtUri(uri), { repo: 'did:plc:abc', collection: 'app.bsky.feed.post', rkey: '3kabcdefghij2' });
    assert.equal(postUrl(uri), 'https://bsky.app/profile/did:plc:abc/post/3kabcdefghij2');
    assert.equal(parseAtUri('https://bsky.app/profile/x/post/y'), undefined);
    assert.equal(postUrl('at://did:plc:abc/app.bsky.feed.like/3k'), undefined);
  });

  test('languages come from the account setting, three at most', () => {
    assert.deepEqual(parseLanguages('en, pt-BR,it,de'), ['en', 'pt-BR', 'it']);
    assert.deepEqual(parseLanguages(undefined), []);
  });

  test('adapt keeps one part per post, with its facets', () => {
    assert.deepEqual(blueskyConnector.adapt({ text: 'a #b', thread: [{ text: 'c' }] }), {
      parts: [
        { text: 'a #b', facets: [{ byteStart: 2, byteEnd: 4, feature: { kind: 'tag', tag: 'b' } }], media: [] },
        { text: 'c', facets: [], media: [] },
      ],
    });
  });
});

describe('Bluesky sessions and limits', () => {
  test('the access token\u2019s expiry is read from its exp claim', () => {
    const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
    assert.equal(jwtExpiry(jwt({ exp: 1_767_225_600 })), '2026-01-01T00:00:00.000Z');
    assert.equal(jwtExpiry(jwt({ sub: 'did:plc:a' })), undefined);
    assert.equal(jwtExpiry('not a jwt'), undefined);
  });

  test('RateLimit-Reset (epoch seconds) gives the wait', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');
    const reset = blueskyConnector.errors!.rateLimitResetMs!;
    assert.equal(reset({ 'ratelimit-reset': String(now.getTime() / 1000 + 30) }, now), 30_000);
    assert.equal(reset({ 'ratelimit-reset': String(now.getTime() / 1000 - 5) }, now), 0);
    assert.equal(reset({}, now), undefined);
  });
});
