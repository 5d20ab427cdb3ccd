import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake's handlers see it. */
export interface FakeRequest {
  method: string;
  path: string;
  /** Values of `:name` segments of the route's path. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json<T = unknown>(): T;
  /** Parses an urlencoded or multipart/form-data body. */
  form(): Promise<FormData>;
  /** The bearer token of the Authorization header, if any. */
  bearer: string | undefined;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer;
}

export interface FakeRoute {
  method: string;
  /** e.g. `/api/v1/statuses/:id` */
  path: string;
  handler(req: FakeRequest): FakeResponse | Promise<FakeResponse>;
}

/**
 * Failures the conformance suite injects. The fake answers them the way its platform does
 * (status, body, headers); `stall` reads the whole request and never answers.
 */
export type Fault = { kind: 'unauthorized' } | { kind: 'rate-limited'; resetInSeconds: number } | { kind: 'server-error' } | { kind: 'stall' };
export type AnsweredFault = Exclude<Fault, { kind: 'stall' }>;

export interface FaultMatch {
  /** Only requests that may change something (not GET or HEAD). */
  unsafeOnly?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/** What a connector's fake offers the conformance suite. */
export interface PlatformFake {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** The next request (matching `match`) fails with `fault` instead of being handled. */
  failNext(fault: Fault, match?: FaultMatch): void;
  close(): Promise<void>;
}

export interface FakePlatformOptions {
  routes: FakeRoute[];
  /** How the platform answers each fault; the default uses plain statuses and `Retry-After`. */
  renderFault?(fault: AnsweredFault, now: Date): FakeResponse;
  /** Adds what the platform puts on every answer (e.g. rate-limit headers). */
  decorate?(req: FakeRequest, res: FakeResponse): FakeResponse;
}

export function defaultFault(fault: AnsweredFault): FakeResponse {
  switch (fault.kind) {
    case 'unauthorized':
      return { status: 401, json: { error: 'unauthorized' } };
    case 'rate-limited':
      return { status: 429, headers: { 'retry-after': String(fault.resetInSeconds) }, json: { error: 'rate limited' } };
    case 'server-error':
      return { status: 500, json: { error: 'internal error' } };
  }
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(got[i]!);
    else if (w !== got[i]) return undefined;
  }
  return params;
}

function send(res: ServerResponse, answer: FakeResponse): void {
  const headers = { ...answer.headers };
  let body: string | Buffer = '';
  if (answer.json !== undefined) {
    body = JSON.stringify(answer.json);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  } else if (answer.body !== undefined) {
    body = answer.body;
  }
  res.writeHead(answer.status, headers);
  res.end(body);
}

/**
 * An in-process HTTP server on 127.0.0.1 for a platform fake: routing, body parsing, a
 * request log and fault injection. The fake's author supplies the routes, written from the
 * platform's public API reference, and how the platform renders each fault.
 */
export async function startFakePlatform(options: FakePlatformOptions): Promise<PlatformFake> {
  const requests: RecordedRequest[] = [];
  const faults: { fault: Fault; match: FaultMatch }[] = [];
  const render = options.renderFault ?? defaultFault;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, headers: req.headers });
    const auth = req.headers.authorization;
    const fakeReq: FakeRequest = {
      method,
      path: url.pathname,
      params: {},
      query: url.searchParams,
      headers: req.headers,
      body,
      bearer: auth?.startsWith('Bearer ') ? auth.slice(7) : undefined,
      json: <T>() => JSON.parse(body.toString('utf8') || 'null') as T,
      form: () => new Request('http://fake.invalid/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body }).formData(),
    };
    const decorate = (answer: FakeResponse) => (options.decorate ? options.decorate(fakeReq, answer) : answer);
    const safe = method === 'GET' || method === 'HEAD';
    const fi = faults.findIndex((f) => !f.match.unsafeOnly || !safe);
    if (fi >= 0) {
      const fault = faults.splice(fi, 1)[0]!.fault;
      if (fault.kind === 'stall') return; // never answered; close() drops the socket
      return send(res, decorate(render(fault, new Date())));
    }
    for (const route of options.routes) {
      if (route.method !== method) continue;
      const params = matchPath(route.path, url.pathname);
      if (!params) continue;
      fakeReq.params = params;
      try {
        return send(res, decorate(await route.handler(fakeReq)));
      } catch (err) {
        return send(res, { status: 500, json: { error: `fake failed: ${(err as Error).message}` } });
      }
    }
    send(res, decorate({ status: 404, json: { error: 'Not found' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    failNext: (fault, match = {}) => void faults.push({ fault, match }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
