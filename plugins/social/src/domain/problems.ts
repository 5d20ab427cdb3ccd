import { AuthExpired, ContentRejected, OutboundRefused, ProblemError, RateLimited, ReconnectRequired, Transient, UnknownOutcome } from '@markettina/sdk';

/** How a connector failure reaches the REST client: a problem with a stable code. */
export function problemFor(err: unknown): ProblemError | undefined {
  if (err instanceof OutboundRefused) {
    return new ProblemError({ status: 422, code: 'ORIGIN_NOT_ALLOWED', title: 'Address not allowed', detail: `this deployment does not call ${err.url}: ${err.reason}` });
  }
  if (err instanceof RateLimited) {
    const seconds = Math.max(1, Math.ceil(err.retryAfterMs / 1000));
    return new ProblemError({ status: 429, code: 'PLATFORM_RATE_LIMITED', title: 'The platform is rate limiting this account', detail: `try again in ${seconds} s`, headers: { 'retry-after': String(seconds) }, extensions: { source: err.source } });
  }
  if (err instanceof AuthExpired || err instanceof ReconnectRequired) {
    return new ProblemError({ status: 409, code: 'RECONNECT_REQUIRED', title: 'The account must be reconnected', detail: err.message });
  }
  if (err instanceof ContentRejected) {
    return new ProblemError({ status: 422, code: 'CONTENT_REJECTED', title: 'The platform refused the request', detail: err.reason });
  }
  if (err instanceof Transient || err instanceof UnknownOutcome) {
    return new ProblemError({ status: 503, code: 'PLATFORM_UNAVAILABLE', title: 'The platform did not answer properly', detail: err.message, headers: { 'retry-after': '30' } });
  }
  return undefined;
}

/** Runs a platform call, turning connector failures into problems. */
export async function platformCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw problemFor(err) ?? err;
  }
}
