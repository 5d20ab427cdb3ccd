import type { HttpResponse } from '../context.js';
import type { ErrorReading } from '../define.js';
import { AuthExpired, ContentRejected, RateLimited, Transient, type ConnectorError } from '../errors.js';

/** When a 429 says nothing about when to come back. */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

/** RFC 9110 §10.2.3: delay-seconds or an HTTP date. */
export function retryAfterMs(headers: Record<string, string>, now: Date): number | undefined {
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** The platform's message from the usual JSON error shapes, else the status line. */
export function defaultReason(res: HttpResponse): string {
  try {
    const body = res.json<Record<string, unknown>>();
    for (const key of ['error_description', 'error', 'message', 'detail']) {
      const v = body?.[key];
      if (typeof v === 'string' && v) return v;
    }
  } catch {
    /* not JSON */
  }
  return `HTTP ${res.status}`;
}

/** Maps a non-2xx answer the caller did not accept to the shared error kinds. */
export function errorForStatus(res: HttpResponse, reading: ErrorReading | undefined, now: Date): ConnectorError {
  const reason = reading?.reason?.(res) ?? defaultReason(res);
  if (res.status === 401) return new AuthExpired(`the platform refused the credentials: ${reason}`, 401);
  if (res.status === 429) {
    const wait = reading?.rateLimitResetMs?.(res.headers, now) ?? retryAfterMs(res.headers, now) ?? DEFAULT_RETRY_AFTER_MS;
    return new RateLimited(wait, { status: 429 });
  }
  if (res.status === 408 || res.status >= 500) return new Transient(`the platform failed: ${reason}`, res.status);
  return new ContentRejected(reason, res.status);
}
