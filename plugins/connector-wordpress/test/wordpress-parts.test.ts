import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ContentRejected, createConnectorContext, ReconnectRequired, type HttpResponse, type Logger } from '@markettina/sdk';
import type { Agent } from 'undici';
import { adapt, paragraphBlocks } from '../src/adapt.js';
import { restRoot } from '../src/api.js';
import { wordpressConnector } from '../src/connector.js';
import { reason, refusal } from '../src/errors.js';
import { DRAFT_RECHECK_MS, OVERDUE_RECHECK_MS, outcomeOf, wpDate } from '../src/publish.js';
import { matchTerm } from '../src/terms.js';

const answer = (status: number, body: unknown): HttpResponse => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: {}, body: Buffer.from(text), text: () => text, json: <T>() => JSON.parse(text) as T };
};
const post = (status: string, extra: object = {}) => ({ id: 7, date_gmt: '2030-01-01T12:00:00', slug: 's', status: status as 'publish', link: 'https://blog.example/s/', ...extra });

describe('WordPress connector parts', () => {
  test('plain text becomes escaped paragraph blocks, lines kept', () => {
    assert.equal(
      paragraphBlocks('Fish & <chips>\nsecond line\n\nNext'),
      '<!-- wp:paragraph -->\n<p>Fish &amp; &lt;chips&gt;<br>second line</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>Next</p>\n<!-- /wp:paragraph -->',
    );
  });

  test('adapt: the title comes from the article or the first line; HTML passes as written; labels are distinct', () => {
    const image = { mimeType: 'image/png', data: new Uint8Array([1]) };
    const plain = adapt({ text: 'Launch day is here\n\nDetails follow.', media: [image] });
    assert.equal(plain.title, 'Launch day is here');
    assert.equal(plain.status, 'publish');
    assert.deepEqual(plain.featuredImage, image);
    assert.match(plain.content, /^<!-- wp:paragraph -->/);
    const html = adapt({ text: '<h2>Hi</h2><p>there</p>', article: { title: 'T', excerpt: 'E', format: 'html', tags: ['News', ' news ', 'AI', ''], categories: ['Blog'], status: 'draft' } });
    assert.deepEqual(html, { title: 'T', content: '<h2>Hi</h2><p>there</p>', excerpt: 'E', status: 'draft', tags: ['News', 'AI'], categories: ['Blog'] });
  });

  test('labels longer than WordPress stores are refused', () => {
    const codes = wordpressConnector.validate({ text: 'x', article: { tags: ['ok', 'x'.repeat(201)], categories: ['y'.repeat(200)] } }).map((v) => `${v.code}@${v.path}`);
    assert.deepEqual(codes, ['LABEL_TOO_LONG@article.tags[1]']);
  });

  test('a post status on the site reads as published, pending or deleted', () => {
    const now = new Date('2030-01-01T11:00:00Z');
    assert.deepEqual(outcomeOf(post('publish'), now), { status: 'published', externalId: '7', url: 'https://blog.example/s/', parts: [{ externalId: '7', url: 'https://blog.example/s/' }] });
    assert.equal(outcomeOf(post('private'), now).status, 'published');
    assert.deepEqual(outcomeOf(post('future'), now), { status: 'pending', pending: '{"v":1,"id":7}', retryAfterMs: 3_600_000 });
    assert.equal((outcomeOf(post('future'), new Date('2030-01-02T00:00:00Z')) as { retryAfterMs: number }).retryAfterMs, OVERDUE_RECHECK_MS, 'past due: WP-Cron has not run yet');
    assert.equal((outcomeOf(post('draft'), now) as { retryAfterMs: number }).retryAfterMs, DRAFT_RECHECK_MS);
    assert.equal(outcomeOf(post('pending'), now).status, 'pending');
    assert.deepEqual(outcomeOf(post('trash'), now), { status: 'deleted', externalId: '7' });
  });

  test('dates are sent as date_gmt: UTC without an offset', () => {
    assert.equal(wpDate(new Date('2030-05-01T08:30:15.123+02:00')), '2030-05-01T06:30:15');
  });

  test("WordPress's words for a refusal: message without HTML, each invalid parameter, the code", () => {
    const invalid = answer(400, { code: 'rest_invalid_param', message: 'Invalid parameter(s): status', data: { status: 400, params: { status: 'status is not one of publish, future.' } } });
    assert.equal(reason(invalid), 'Invalid parameter(s): status (status is not one of publish, future.) [rest_invalid_param]');
    assert.equal(reason(answer(500, { code: 'internal_server_error', message: '<p>There has been a critical error &amp; more.</p>' })), 'There has been a critical error & more. [internal_server_error]');
    assert.equal(reason(answer(429, '<html>Too Many Requests</html>')), undefined);
  });

  test('a role that may not write or upload needs another user; other refusals are about the content', () => {
    const cannot = answer(403, { code: 'rest_cannot_create', message: 'Sorry, you are not allowed to create posts as this user.', data: { status: 403 } });
    assert.ok(refusal(cannot, 'post') instanceof ReconnectRequired);
    assert.ok(refusal(answer(403, { code: 'rest_cannot_publish', message: 'no', data: { status: 403 } }), 'post') instanceof ReconnectRequired);
    assert.ok(refusal(answer(400, { code: 'rest_cannot_create', message: 'Sorry, you are not allowed to upload media on this site.', data: { status: 400 } }), 'media') instanceof ReconnectRequired);
    const term = refusal(answer(403, { code: 'rest_cannot_create', message: 'Sorry, you are not allowed to create terms in this taxonomy.', data: { status: 403 } }), 'term');
    assert.ok(term instanceof ContentRejected);
    const empty = refusal(answer(400, { code: 'empty_content', message: 'Content, title, and excerpt are empty.', data: { status: 400 } }), 'post');
    assert.ok(empty instanceof ContentRejected && empty.reason === 'Content, title, and excerpt are empty. [empty_content]');
  });

  test('terms match by name as WordPress stores it: escaped, without regard to case', () => {
    const terms = [{ id: 3, name: 'R&amp;D' }, { id: 4, name: 'News' }];
    assert.equal(matchTerm(terms, 'r&d'), 3);
    assert.equal(matchTerm(terms, 'NEWS'), 4);
    assert.equal(matchTerm(terms, 'New'), undefined);
  });

  test('the REST root keeps the folder WordPress lives in, under the checked origin', () => {
    const logger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => logger };
    const ctx = (site: string, origin: string) =>
      createConnectorContext({ connector: wordpressConnector, tenantId: 't', account: { id: 'a', settings: { site } }, origin, agent: {} as Agent, policy: { allowLoopback: false, allowPrivate: false, allowPlainHttp: false }, timeouts: { connectMs: 1, responseMs: 1 }, logger });
    assert.equal(restRoot(ctx('https://example.com/blog/', 'https://example.com')), 'https://example.com/blog/wp-json');
    assert.equal(restRoot(ctx('https://example.com', 'https://example.com')), 'https://example.com/wp-json');
  });
});
