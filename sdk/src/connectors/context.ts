import type { Logger } from '../context.js';

/**
 * The version of the context and operation shapes below. It changes only when they change
 * incompatibly; a connector states the version it was written for and the host refuses a
 * connector built for another one, instead of failing at the first publish.
 */
export const CONNECTOR_CONTRACT_VERSION = 1;

/** Secrets of one connected account. Every value is a string so that it can be sealed as is. */
export interface ConnectorCredentials {
  accessToken?: string;
  refreshToken?: string;
  /** When the access token expires (ISO 8601); absent when it does not. */
  expiresAt?: string;
  scope?: string;
  /** API key / app password fields, as declared by `auth.fields`. */
  fields?: Record<string, string>;
  /** Other secrets the connector keeps between calls (e.g. a session identifier). */
  extra?: Record<string, string>;
}

/** An OAuth client (app) registered with the platform. */
export interface OAuthClient {
  clientId: string;
  clientSecret?: string;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface MultipartPart {
  name: string;
  value: string | Uint8Array;
  /** Set for files. */
  fileName?: string;
  contentType?: string;
}

export interface HttpRequest {
  method: HttpMethod;
  url: string | URL;
  headers?: Record<string, string>;
  /** A JSON body (sets content-type). At most one of json, form, multipart and body. */
  json?: unknown;
  /** An application/x-www-form-urlencoded body. */
  form?: Record<string, string | string[] | undefined>;
  /** A multipart/form-data body. */
  multipart?: MultipartPart[];
  body?: string | Uint8Array;
  /**
   * Non-2xx statuses handed back to the caller instead of being mapped to a ConnectorError
   * (e.g. 404 when checking whether a post still exists).
   */
  accept?: number[];
  /** Longest wait for the response once the request is sent (default: the host's). */
  timeoutMs?: number;
  /** Which declared platform budgets (`rateLimits[].appliesTo`) this call also spends. */
  budget?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Uint8Array;
  text(): string;
  /** Parses the body as JSON; a body that is not JSON is a Transient error. */
  json<T = unknown>(): T;
}

/**
 * HTTP as connectors get it. Before sending, it spends the kernel's outbound budget of the
 * connected account and refuses addresses the deployment does not allow; it applies
 * timeouts; and it maps failures to ConnectorErrors: 401 AuthExpired, 429 RateLimited,
 * 5xx and connection failures Transient, other 4xx ContentRejected, and a timeout or lost
 * connection after an unsafe request was sent UnknownOutcome.
 */
export interface ConnectorHttp {
  request(request: HttpRequest): Promise<HttpResponse>;
}

/** The connected account an operation acts for. */
export interface ConnectedAccountRef {
  /** The host's id of the connected account (budgets are kept per id). Empty while connecting. */
  id: string;
  /** The platform's id of the account, once known. */
  externalId?: string;
  /** Non-secret settings: the setup fields the tenant gave and the chosen channel. */
  settings: Readonly<Record<string, string>>;
}

/**
 * Everything an operation may use. Deliberately narrow: no container, no database, no
 * environment; what a connector needs from the host comes through here, and a new host
 * keeps this shape for as long as `contractVersion` stays the same.
 */
export interface ConnectorContext {
  readonly contractVersion: typeof CONNECTOR_CONTRACT_VERSION;
  /** The connector's id. */
  readonly connector: string;
  /** Where the platform's API lives for this account, e.g. `https://mastodon.social` (no trailing slash). */
  readonly origin: string;
  readonly account: ConnectedAccountRef;
  readonly credentials: Readonly<ConnectorCredentials>;
  /** The OAuth client for this origin, for OAuth platforms. */
  readonly client: Readonly<OAuthClient> | undefined;
  readonly http: ConnectorHttp;
  readonly logger: Logger;
  /** The current time (the host may pin it in tests). */
  now(): Date;
  /** Waits before polling again; the host bounds how long an operation may take overall. */
  sleep(ms: number): Promise<void>;
}
