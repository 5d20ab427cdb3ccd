/**
 * The errors a connector operation may throw. The host decides what to do from the kind
 * alone, whatever the platform: refresh or ask for a reconnect, wait, retry, give up, or
 * (for an unknown outcome) check the platform before doing anything else.
 */
export type ConnectorErrorKind = 'auth_expired' | 'reconnect_required' | 'rate_limited' | 'transient' | 'content_rejected' | 'unknown_outcome';

export abstract class ConnectorError extends Error {
  abstract readonly kind: ConnectorErrorKind;
  /** HTTP status the platform answered with, when there was an answer. */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = new.target.name;
    this.status = status;
  }
}

/** The credentials were refused; refreshing them may help, otherwise the tenant must reconnect. */
export class AuthExpired extends ConnectorError {
  readonly kind = 'auth_expired';
}

/** Nothing the host can do will make these credentials work again: the tenant must connect anew. */
export class ReconnectRequired extends ConnectorError {
  readonly kind = 'reconnect_required';
}

/** The platform (or the kernel's outbound budget for this account) refused the call for now. */
export class RateLimited extends ConnectorError {
  readonly kind = 'rate_limited';
  /** How long to wait before calling again, in milliseconds. */
  readonly retryAfterMs: number;
  /** `platform`: the platform answered 429. `local`: the kernel's budget refused it before sending. */
  readonly source: 'platform' | 'local';
  constructor(retryAfterMs: number, options: { source?: 'platform' | 'local'; status?: number; message?: string } = {}) {
    super(options.message ?? `rate limited; retry after ${Math.ceil(retryAfterMs / 1000)} s`, options.status);
    this.retryAfterMs = Math.max(0, Math.round(retryAfterMs));
    this.source = options.source ?? 'platform';
  }
}

/** A failure that did not change anything on the platform; the same call may be retried later. */
export class Transient extends ConnectorError {
  readonly kind = 'transient';
}

/** The platform refused the content itself; retrying the same content will fail the same way. */
export class ContentRejected extends ConnectorError {
  readonly kind = 'content_rejected';
  /** Why, in the platform's words where it gave any. */
  readonly reason: string;
  constructor(reason: string, status?: number) {
    super(`content rejected: ${reason}`, status);
    this.reason = reason;
  }
}

/**
 * The request was sent, but no answer came back (timeout or connection lost after sending):
 * the platform may or may not have acted. Never retry blindly; check the status first.
 */
export class UnknownOutcome extends ConnectorError {
  readonly kind = 'unknown_outcome';
}

export const isConnectorError = (e: unknown): e is ConnectorError => e instanceof ConnectorError;

/**
 * The host's outbound guard refused a URL before anything was sent: a private or loopback
 * address, a plain-http URL, or (under the conformance suite) any origin but the fake's.
 * Not a platform error: it means the configuration or the user-supplied URL is not allowed.
 */
export class OutboundRefused extends Error {
  readonly code = 'OUTBOUND_REFUSED';
  constructor(readonly url: string, readonly reason: string) {
    super(`outbound request to ${url} refused: ${reason}`);
    this.name = 'OutboundRefused';
  }
}
