import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createKernel, createLogger, type Kernel } from '@markettina/kernel';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { notesPlugin } from './fixtures/notes/plugin.js';

describe('HTTP surface', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startTestKernel({ plugins: [notesPlugin] });
  });
  after(() => kit.close());

  test('/healthz and /readyz answer', async () => {
    assert.deepEqual((await kit.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
    assert.deepEqual((await kit.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' });
  });

  test('/openapi.json is OpenAPI 3.1 generated from the plugin route schemas', async () => {
    const doc = (await kit.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    const list = doc.paths['/v1/notes/notes'].get;
    assert.deepEqual(list.tags, ['notes']);
    assert.deepEqual(list.security, [{ bearer: [] }]);
    assert.ok(list.parameters.some((p: { name: string; in: string }) => p.name === 'cursor' && p.in === 'query'));
    assert.equal(doc.paths['/v1/notes/notes'].post.requestBody.content['application/json'].schema.required[0], 'title');
    assert.ok(doc.paths['/v1/notes/notes/{id}'].get, 'path params are rendered in OpenAPI form');
    assert.equal(doc.components.securitySchemes.bearer.scheme, 'bearer');
  });

  test('/docs serves the API docs page', async () => {
    const res = await kit.inject({ method: 'GET', url: '/docs/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.match(res.body, /swagger/i);
  });

  test('request ids: generated when absent, echoed when given, quoted in problems', async () => {
    const generated = await kit.inject({ method: 'GET', url: '/healthz' });
    assert.match(generated.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
    const echoed = await kit.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(echoed.headers['x-request-id'], 'abc-123');
    assert.equal(echoed.statusCode, 404);
    assert.equal(echoed.json().requestId, 'abc-123');
    assert.equal(echoed.json().code, 'ROUTE_NOT_FOUND');
    const hostile = await kit.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\u0000' } });
    assert.notEqual(hostile.headers['x-request-id'], 'bad id\u0000');
  });

  test('client errors are problem+json with stable codes', async () => {
    const caller = (await kit.createTenant()).as();
    const cases: [object, number, string][] = [
      [{ method: 'POST', url: '/v1/notes/notes', payload: '{"title": ', headers: { 'content-type': 'application/json' } }, 400, 'MALFORMED_JSON'],
      [{ method: 'POST', url: '/v1/notes/notes', payload: 'title=x', headers: { 'content-type': 'text/csv' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [{ method: 'POST', url: '/v1/notes/notes', payload: { title: 7 } }, 400, 'VALIDATION_FAILED'],
      [{ method: 'GET', url: '/v1/notes/notes/not-a-uuid' }, 400, 'VALIDATION_FAILED'],
      [{ method: 'GET', url: '/v1/notes/notes?cursor=garbage' }, 400, 'INVALID_CURSOR'],
      [{ method: 'POST', url: '/v1/notes/notes', payload: { title: 'x'.repeat(2_000_000) } }, 413, 'BODY_TOO_LARGE'],
    ];
    for (const [req, status, code] of cases) {
      const res = await caller.inject(req as never);
      assert.equal(res.statusCode, status, `${JSON.stringify(req).slice(0, 80)} -> ${res.body.slice(0, 200)}`);
      assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
      const body = res.json();
      assert.equal(body.code, code);
      assert.equal(body.status, status);
      assert.match(body.type, /^urn:markettina:problem:/);
    }
  });

  test('/metrics exposes per-route counts, latency histograms, pool and process gauges', async () => {
    const caller = (await kit.createTenant()).as();
    await caller.inject({ method: 'GET', url: '/v1/notes/notes' });
    await caller.inject({ method: 'GET', url: '/v1/notes/notes' });
    const text = (await kit.inject({ method: 'GET', url: '/metrics' })).body;
    const line = text.split('\n').find((l) => l.startsWith('markettina_http_requests_total{') && l.includes('route="/v1/notes/notes"') && l.includes('method="GET"') && l.includes('status_code="200"'));
    assert.ok(line, 'per-route counter present');
    assert.ok(Number(line!.split(' ').at(-1)) >= 2, `expected at least 2 requests counted: ${line}`);
    assert.match(text, /markettina_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/notes\/notes"/);
    assert.match(text, /markettina_db_pool_max \d+/);
    assert.match(text, /markettina_process_resident_memory_bytes/);
    assert.doesNotMatch(text, /route="\/v1\/notes\/notes\/[0-9a-f]{8}/, 'labels use route templates, not raw URLs');
  });
});

describe('logging', () => {
  test('secrets in headers and bodies are redacted', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const logger = createLogger({ level: 'info', destination: sink });
    logger.info({ req: { headers: { authorization: 'Bearer sk_live_abc' } }, user: { password: 'hunter2', token: 'tok_1' } }, 'login');
    const out = lines.join('');
    assert.doesNotMatch(out, /sk_live_abc|hunter2|tok_1/);
    assert.match(out, /\[redacted\]/);
  });

  test('request logs do not contain the bearer credential', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const kit = await startTestKernel({ plugins: [notesPlugin], config: { logging: { level: 'info' } } });
    let kernel: Kernel | undefined;
    try {
      kernel = await createKernel({
        config: kit.kernel.config,
        plugins: [notesPlugin],
        database: kit.kernel.database,
        migrate: 'skip',
        logger: createLogger({ level: 'info', destination: sink }),
      });
      await kernel.app.inject({ method: 'GET', url: '/v1/notes/notes', headers: { authorization: 'Bearer super-secret-credential' } });
      const out = lines.join('');
      assert.match(out, /request completed|incoming request/);
      assert.doesNotMatch(out, /super-secret-credential/);
    } finally {
      await kernel?.close();
      await kit.close();
    }
  });
});
