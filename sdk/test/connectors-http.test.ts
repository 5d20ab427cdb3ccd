import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  AuthExpired,
  ContentRejected,
  createConnectorHttp,
  createOutboundAgent,
  OutboundRefused,
  RateLimited,
  retryAfterMs,
  Transient,
  type Logger,
  type OutboundPolicy,
} from '@markettina/sdk';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const timeouts = { connectMs: 1_000, responseMs: 2_000 };

describe('connector HTTP client', () => {
  let server: Server;
  let port: number;
  const seen: { method: string; url: string; body: string; type: string | undefined }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, body, type: req.headers['content-type'] });
        const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200);
        res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '42' } : {}) });
        res.end(JSON.stringify({ error: `status ${status}` }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const client = (policy: Partial<OutboundPolicy> = {}) => {
    const p: OutboundPolicy = { allowLoopback: true, allowPrivate: false, allowPlainHttp: true, ...policy };
    return createConnectorHttp({ agent: createOutboundAgent(p, timeouts), policy: p, timeouts, logger: silent });
  };

  test('maps statuses to the shared errors, unless the caller accepts them', async () => {
    const http = client();
    const at = (status: number) => `http://127.0.0.1:${port}/?status=${status}`;
    await assert.rejects(http.request({ method: 'GET', url: at(401) }), AuthExpired);
    const limited = await http.request({ method: 'GET', url: at(429) }).catch((e: unknown) => e);
    assert.ok(limited instanceof RateLimited && limited.retryAfterMs === 42_000);
    await assert.rejects(http.request({ method: 'GET', url: at(503) }), Transient);
    await assert.rejects(http.request({ method: 'POST', url: at(422), json: {} }), (e: unknown) => e instanceof ContentRejected && e.reason === 'status 422');
    assert.equal((await http.request({ method: 'GET', url: at(404), accept: [404] })).status, 404);
  });

  test('encodes JSON, form and multipart bodies', async () => {
    const http = client();
    const url = `http://127.0.0.1:${port}/echo`;
    await http.request({ method: 'POST', url, json: { a: 1 } });
    await http.request({ method: 'POST', url, form: { a: '1', b: ['x', 'y'], c: undefined } });
    await http.request({ method: 'POST', url, multipart: [{ name: 'file', value: new Uint8Array([1, 2]), fileName: 'f.bin', contentType: 'application/octet-stream' }, { name: 'note', value: 'hi' }] });
    const [json, form, multipart] = seen.slice(-3);
    assert.equal(json!.body, '{"a":1}');
    assert.equal(form!.body, 'a=1&b=x&b=y');
    assert.match(multipart!.type!, /^multipart\/form-data; boundary=/);
    assert.match(multipart!.body, /name="file"; filename="f.bin"/);
  });

  test('refuses loopback by name at connect time, private literals, plain http and URL credentials', async () => {
    const closed = client({ allowLoopback: false });
    const before = seen.length;
    await assert.rejects(closed.request({ method: 'GET', url: `http://localhost:${port}/` }), OutboundRefused);
    await assert.rejects(closed.request({ method: 'GET', url: `http://127.0.0.1:${port}/` }), OutboundRefused);
    await assert.rejects(client().request({ method: 'GET', url: 'http://10.0.0.1/' }), OutboundRefused);
    await assert.rejects(client({ allowPlainHttp: false }).request({ method: 'GET', url: `http://127.0.0.1:${port}/` }), /https only/);
    await assert.rejects(client().request({ method: 'GET', url: `http://user:pw@127.0.0.1:${port}/` }), OutboundRefused);
    assert.equal(seen.length, before, 'nothing reached the server');
  });

  test('Retry-After takes seconds or an HTTP date', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs({ 'retry-after': '7' }, now), 7_000);
    assert.equal(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now), 30_000);
    assert.equal(retryAfterMs({}, now), undefined);
  });
});
