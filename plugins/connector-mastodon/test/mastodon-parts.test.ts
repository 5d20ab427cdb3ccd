import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { measureText } from '@markettina/sdk';
import { capabilities } from '../src/capabilities.js';
import { mastodonConnector } from '../src/connector.js';
import { htmlToText } from '../src/html.js';
import { mastodonLength } from './fake-mastodon.js';

describe('Mastodon connector parts', () => {
  test('status HTML becomes plain text', () => {
    assert.equal(htmlToText('<p>Hi &amp; welcome<br />line two</p><p>para &#x27;two&#39; &#128075;</p>'), "Hi & welcome\nline two\n\npara 'two' 👋");
  });

  test('X-RateLimit-Reset (ISO 8601) gives the wait', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');
    assert.equal(mastodonConnector.errors!.rateLimitResetMs!({ 'x-ratelimit-reset': '2026-01-01T00:00:30.000Z' }, now), 30_000);
    assert.equal(mastodonConnector.errors!.rateLimitResetMs!({}, now), undefined);
  });

  test('the declared count agrees with the instance for text without remote mentions', () => {
    for (const text of ['plain', '👨‍👩‍👧 family', `link https://example.com/${'x'.repeat(80)} end`, 'é'.repeat(30)]) {
      assert.equal(measureText(text, capabilities.text), mastodonLength(text), text);
    }
  });

  test('a remote mention counts less on the instance than declared, so validation errs on the safe side', () => {
    const text = '@someone@mastodon.example hello';
    assert.ok(measureText(text, capabilities.text) > mastodonLength(text));
  });

  test('adapt maps a draft and its thread to one status per post', () => {
    assert.deepEqual(mastodonConnector.adapt({ text: 'a', thread: [{ text: 'b' }] }), { parts: [{ status: 'a', media: [] }, { status: 'b', media: [] }], visibility: 'public' });
  });
});
