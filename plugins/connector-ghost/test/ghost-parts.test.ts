import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { createConnectorContext, type HttpResponse, type Logger } from '@markettina/sdk';
import type { Agent } from 'undici';
import { adapt, lexicalOf } from '../src/adapt.js';
import { adminRoot } from '../src/api.js';
import { ghostConnector } from '../src/connector.js';
import { reason } from '../src/errors.js';
import { DRAFT_RECHECK_MS, OVERDUE_RECHECK_MS, outcomeOf } from '../src/publish.js';
import { adminToken, parseAdminKey } from '../src/token.js';
import { GHOST_ADMIN_KEY, verifyAdminToken } from './fake-ghost.js';

const [KEY_ID, KEY_SECRET] = GHOST_ADMIN_KEY.split(':') as [string, string];
const KEYS = new Map([[KEY_ID, KEY_SECRET]]);
const key = parseAdminKey(GHOST_ADMIN_KEY)!;
const NOW = new Date('2030-01-01T12:00:00Z');
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
/** A token signed by hand, to try what Ghost refuses. */
function signed(header: object, payload: object, secret: Buffer = key.secret): string {
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const signing = `${enc(header)}.${enc(payload)}`;
  return `${signing}.${createHmac('sha256', secret).update(signing).digest('base64url')}`;
}
const refusal = (token: string, at = NOW) => {
  const answer = verifyAdminToken(token, KEYS, seconds(at));
  const err = (answer?.json as { errors: { message: string; code: string }[] } | undefined)?.errors[0];
  return answer ? `${answer.status} ${err!.code} ${err!.message}` : 'ok';
};
const answer = (status: number, body: unknown): HttpResponse => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: {}, body: Buffer.from(text), text: () => text, json: <T>() => JSON.parse(text) as T };
};

describe('Ghost connector parts', () => {
  test('the admin token: HS256, kid, aud /admin/, five minutes, signed with the decoded secret', () => {
    const token = adminToken(key, NOW);
    const [header, payload] = token.split('.') as [string, string];
    assert.deepEqual(decode(header), { alg: 'HS256', typ: 'JWT', kid: KEY_ID });
    assert.deepEqual(decode(payload), { iat: seconds(NOW), exp: seconds(NOW) + 300, aud: '/admin/' });
    assert.equal(refusal(token), 'ok');
    assert.equal(refusal(token, new Date(NOW.getTime() + 299_000)), 'ok');
    assert.equal(refusal(token, new Date(NOW.getTime() + 300_000)), '401 INVALID_JWT Invalid token: jwt expired');
  });

  test('tokens Ghost refuses, as it refuses them', () => {
    const iat = seconds(NOW);
    const claims = { iat, exp: iat + 300, aud: '/admin/' };
    assert.equal(refusal(signed({ alg: 'HS256', kid: KEY_ID }, claims, Buffer.from(KEY_SECRET))), '401 INVALID_JWT Invalid token: invalid signature', 'signed with the hex text, not its bytes');
    assert.equal(refusal(signed({ alg: 'HS256', kid: KEY_ID }, { ...claims, aud: '/content/' })), '401 INVALID_JWT Invalid token: jwt audience invalid. expected: /\\/?admin\\/?$/');
    assert.equal(refusal(signed({ alg: 'HS256', kid: KEY_ID }, { iat: iat - 301, aud: '/admin/' })), '401 INVALID_JWT Invalid token: maxAge exceeded', 'no exp, but older than five minutes');
    assert.equal(refusal(signed({ alg: 'HS256', kid: KEY_ID }, { exp: iat + 60, aud: '/admin/' })), '401 INVALID_JWT Invalid token: iat required when maxAge is specified');
    assert.equal(refusal(signed({ alg: 'HS256' }, claims)), '400 MISSING_ADMIN_API_KID Admin API kid missing.');
    assert.equal(refusal(signed({ alg: 'HS256', kid: 'ffffffffffffffffffffffff' }, claims)), '401 UNKNOWN_ADMIN_API_KEY Unknown Admin API Key');
    assert.equal(refusal('not.a-token'), '400 INVALID_JWT Invalid token');
  });

  test('an Admin API key is `<24 hex>:<64 hex>`', () => {
    assert.equal(parseAdminKey(GHOST_ADMIN_KEY)!.secret.length, 32);
    for (const bad of [undefined, '', KEY_ID, `${KEY_ID}:${KEY_SECRET.slice(1)}`, `${KEY_ID}:${'z'.repeat(64)}`]) assert.equal(parseAdminKey(bad), undefined, String(bad));
  });

  test('plain text becomes a Lexical document of paragraphs and line breaks', () => {
    const doc = JSON.parse(lexicalOf('One\ntwo\n\nThree')) as { root: { children: { type: string; children: { type: string; text?: string }[] }[] } };
    assert.deepEqual(
      doc.root.children.map((p) => [p.type, p.children.map((c) => c.text ?? c.type)]),
      [
        ['paragraph', ['One', 'linebreak', 'two']],
        ['paragraph', ['Three']],
      ],
    );
    assert.equal(doc.root.children[0]!.children[0]!.type, 'extended-text');
  });

  test('adapt: Lexical from text, HTML as written; the title from the article or the first line', () => {
    const image = { mimeType: 'image/png', data: new Uint8Array([1]), altText: 'dot' };
    const plain = adapt({ text: 'Big news today\n\nMore.', media: [image] });
    assert.equal(plain.title, 'Big news today');
    assert.equal(plain.status, 'published');
    assert.ok('lexical' in plain.body);
    assert.deepEqual(plain.featureImage, image);
    const html = adapt({ text: '<p>Hi</p>', article: { title: 'T', excerpt: 'E', format: 'html', tags: ['News', 'news', 'AI'], status: 'draft' } });
    assert.deepEqual(html, { title: 'T', body: { html: '<p>Hi</p>' }, customExcerpt: 'E', status: 'draft', tags: ['News', 'AI'] });
    assert.equal(adapt({ text: 'x', article: { publishAt: '2030-01-01T00:00:00Z' } }).publishAt, '2030-01-01T00:00:00Z');
  });

  test('a post status on the site reads as published or pending', () => {
    const post = (status: string) => ({ id: 'a1', slug: 's', status: status as 'published', url: 'https://blog.example/s/', published_at: '2030-01-01T13:00:00.000Z' });
    assert.deepEqual(outcomeOf(post('published'), NOW), { status: 'published', externalId: 'a1', url: 'https://blog.example/s/', parts: [{ externalId: 'a1', url: 'https://blog.example/s/' }] });
    assert.equal(outcomeOf(post('sent'), NOW).status, 'published', 'an e-mail-only post went out');
    assert.deepEqual(outcomeOf(post('scheduled'), NOW), { status: 'pending', pending: '{"v":1,"id":"a1"}', retryAfterMs: 3_600_000 });
    assert.equal((outcomeOf(post('scheduled'), new Date('2030-01-02T00:00:00Z')) as { retryAfterMs: number }).retryAfterMs, OVERDUE_RECHECK_MS);
    assert.equal((outcomeOf(post('draft'), NOW) as { retryAfterMs: number }).retryAfterMs, DRAFT_RECHECK_MS);
  });

  test("Ghost's words for a refusal: the message, what the context adds, the type", () => {
    const invalid = answer(422, { errors: [{ message: 'Validation error, cannot save post.', context: 'Value in [posts.title] exceeds maximum length of 255 characters.', type: 'ValidationError', property: 'title' }] });
    assert.equal(reason(invalid), 'Validation error, cannot save post. Value in [posts.title] exceeds maximum length of 255 characters. [ValidationError]');
    assert.equal(reason(answer(401, { errors: [{ message: 'Unknown Admin API Key', context: null, type: 'UnauthorizedError' }] })), 'Unknown Admin API Key [UnauthorizedError]');
    assert.equal(reason(answer(413, '<html>413 Request Entity Too Large</html>')), undefined);
  });

  test('the Admin API root keeps the folder Ghost lives in, under the checked origin', () => {
    const logger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => logger };
    const ctx = (apiUrl: string, origin: string) =>
      createConnectorContext({ connector: ghostConnector, tenantId: 't', account: { id: 'a', settings: { apiUrl } }, origin, agent: {} as Agent, policy: { allowLoopback: false, allowPrivate: false, allowPlainHttp: false }, timeouts: { connectMs: 1, responseMs: 1 }, logger });
    assert.equal(adminRoot(ctx('https://example.com/blog/', 'https://example.com')), 'https://example.com/blog/ghost/api/admin');
    assert.equal(adminRoot(ctx('https://blog.example.com', 'https://blog.example.com')), 'https://blog.example.com/ghost/api/admin');
  });
});
