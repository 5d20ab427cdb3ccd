import { Agent, request as undiciRequest } from 'undici';
import { isIP } from 'node:net';
import type { Logger } from '../../context.js';
import type { RateLimiter, RateLimitKey } from '../../rate-limits.js';
import type { PlatformRateLimit } from '../capabilities.js';
import type { ConnectorHttp, HttpRequest, HttpResponse } from '../context.js';
import type { ErrorReading } from '../define.js';
import { OutboundRefused, RateLimited, Transient, UnknownOutcome } from '../errors.js';
import { addressProblem, guardedLookup, type AddressPolicy } from './address.js';
import { encodeMultipart } from './multipart.js';
import { errorForStatus } from './status-errors.js';

/** What outbound requests may reach. Production: https to public addresses only. */
export interface OutboundPolicy extends AddressPolicy {
  allowPlainHttp: boolean;
  /** When set, only these origins (e.g. the conformance suite's fake); anything else is refused. */
  onlyOrigins?: string[];
}

export interface OutboundTimeouts {
  /** Longest wait for a connection (nothing has been sent yet: a Transient failure). */
  connectMs: number;
  /** Longest wait for the answer once the request is sent (an UnknownOutcome for unsafe methods). */
  responseMs: number;
}

/** Largest response body read into memory. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const SAFE = new Set(['GET', 'HEAD']);

/** One connection pool per policy; its lookup refuses disallowed addresses at connect time. */
export function createOutboundAgent(policy: OutboundPolicy, timeouts: OutboundTimeouts): Agent {
  return new Agent({
    connect: { lookup: guardedLookup(policy) as never, timeout: timeouts.connectMs },
    headersTimeout: timeouts.responseMs,
    bodyTimeout: timeouts.responseMs,
  });
}

export interface ConnectorHttpOptions {
  agent: Agent;
  policy: OutboundPolicy;
  timeouts: OutboundTimeouts;
  logger: Logger;
  /** The kernel's limiter and the budget of this connected account; omitted, nothing is metered. */
  limits?: { limiter: RateLimiter; key: RateLimitKey; policies: PlatformRateLimit[] };
  errors?: ErrorReading;
  now?: () => Date;
}

function checkUrl(url: URL, policy: OutboundPolicy): string | undefined {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowPlainHttp)) return `${url.protocol} is not allowed (https only)`;
  if (policy.onlyOrigins && !policy.onlyOrigins.includes(url.origin)) return `only ${policy.onlyOrigins.join(', ')} may be reached`;
  if (url.username || url.password) return 'credentials in URLs are not allowed';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Literal addresses never reach the lookup, so they are judged here.
  if (isIP(host)) return addressProblem(host, policy);
  return undefined;
}

function encodeBody(req: HttpRequest): { body?: string | Buffer; contentType?: string } {
  if (req.json !== undefined) return { body: JSON.stringify(req.json), contentType: 'application/json' };
  if (req.form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.form)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    }
    return { body: params.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if (req.multipart) return encodeMultipart(req.multipart);
  if (req.body !== undefined) return { body: typeof req.body === 'string' ? req.body : Buffer.from(req.body) };
  return {};
}

function responseOf(status: number, rawHeaders: Record<string, string | string[] | undefined>, body: Buffer): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawHeaders)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return {
    status,
    headers,
    body,
    text: () => body.toString('utf8'),
    json: <T>() => {
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch {
        throw new Transient(`the platform answered ${status} with a body that is not JSON`, status);
      }
    },
  };
}

const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Classifies a failure without an answer: was the request possibly acted on? */
function failureOf(err: unknown, method: string, url: URL): Error {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (code === 'EADDRREFUSED') return new OutboundRefused(url.toString(), (err as { reason?: string }).reason ?? String(e.message));
  if (code && CONNECT_FAILURES.has(code)) return new Transient(`could not connect to ${url.origin} (${code})`);
  // Sent (or possibly sent) and no answer: for a safe method nothing changed either way.
  if (SAFE.has(method)) return new Transient(`no answer from ${url.origin} (${code ?? e.message})`);
  return new UnknownOutcome(`the request to ${url.origin}${url.pathname} was sent but no answer came back (${code ?? e.message}); check before retrying`);
}

/** The HTTP client a connector context carries; see `ConnectorHttp` for what it guarantees. */
export function createConnectorHttp(options: ConnectorHttpOptions): ConnectorHttp {
  const now = options.now ?? (() => new Date());
  const log = options.logger;

  async function spendBudget(req: HttpRequest): Promise<void> {
    const limits = options.limits;
    if (!limits) return;
    for (const policy of limits.policies) {
      if (policy.appliesTo && !(req.budget && policy.appliesTo.includes(req.budget))) continue;
      const { appliesTo: _ignored, ...rule } = policy;
      const decision = await limits.limiter.consume({ accountId: limits.key.accountId, bucket: `${limits.key.bucket}:${policy.name}` }, rule);
      if (!decision.allowed) throw new RateLimited(decision.retryAfterMs, { source: 'local', message: `outbound budget "${policy.name}" is spent; retry after ${Math.ceil(decision.retryAfterMs / 1000)} s` });
    }
  }

  return {
    async request(req) {
      const url = new URL(req.url);
      const problem = checkUrl(url, options.policy);
      if (problem) throw new OutboundRefused(url.toString(), problem);
      await spendBudget(req);
      const { body, contentType } = encodeBody(req);
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'Markettina', ...req.headers };
      if (contentType) headers['content-type'] = contentType;
      const started = Date.now();
      const timeout = req.timeoutMs ?? options.timeouts.responseMs;
      let res: HttpResponse;
      try {
        const answer = await undiciRequest(url, { method: req.method, headers, body, dispatcher: options.agent, headersTimeout: timeout, bodyTimeout: timeout });
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of answer.body) {
          size += (chunk as Buffer).length;
          if (size > MAX_BODY_BYTES) {
            answer.body.destroy();
            throw new Transient(`the answer from ${url.origin} is larger than ${MAX_BODY_BYTES} bytes`);
          }
          chunks.push(chunk as Buffer);
        }
        res = responseOf(answer.statusCode, answer.headers, Buffer.concat(chunks));
      } catch (err) {
        if (err instanceof Transient || err instanceof OutboundRefused) throw err;
        const failure = failureOf(err, req.method, url);
        log.warn({ method: req.method, origin: url.origin, path: url.pathname, err: failure.message }, 'outbound request failed');
        throw failure;
      }
      log.debug({ method: req.method, origin: url.origin, path: url.pathname, status: res.status, ms: Date.now() - started }, 'outbound request');
      if ((res.status >= 200 && res.status < 300) || req.accept?.includes(res.status)) return res;
      throw errorForStatus(res, options.errors, now());
    },
  };
}
