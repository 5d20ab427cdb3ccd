import type { Logger } from '../context.js';
import type { RateLimiter } from '../rate-limits.js';
import { outboundRateLimitKey } from '../rate-limits.js';
import { CONNECTOR_CONTRACT_VERSION, type ConnectedAccountRef, type ConnectorContext, type ConnectorCredentials, type ConnectorHttp, type OAuthClient } from './context.js';
import type { Connector } from './define.js';
import { OutboundRefused } from './errors.js';
import { createConnectorHttp, type OutboundPolicy, type OutboundTimeouts } from './http/client.js';
import type { Agent } from 'undici';

export interface ConnectorContextOptions {
  connector: Connector;
  /** The tenant the call is made for; outbound budgets belong to it. */
  tenantId: string;
  account: ConnectedAccountRef;
  credentials?: ConnectorCredentials;
  client?: OAuthClient;
  /** The API origin, from `resolveOrigin`. */
  origin: string;
  agent: Agent;
  policy: OutboundPolicy;
  timeouts: OutboundTimeouts;
  logger: Logger;
  /** The kernel's limiter (`coreServices.rateLimits`); the budget is per platform and connected account. */
  limiter?: RateLimiter;
  now?: () => Date;
  /** Replaces the HTTP client (tests that wrap it). */
  http?: ConnectorHttp;
}

/**
 * The origin an account's API lives at: its setup field for multi-host platforms, else the
 * connector's default (or the host's override, used to point a connector at a fake).
 */
export function resolveOrigin(connector: Connector, settings: Record<string, string>, override?: string): string {
  const field = connector.setup?.originField;
  const raw = (field && settings[field]) || override || connector.defaultOrigin;
  if (!raw) throw new TypeError(`connector "${connector.id}" has no origin: give the "${field ?? 'origin'}" setup field`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused(String(raw), 'not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundRefused(raw, `${url.protocol} is not an http(s) URL`);
  return url.origin;
}

/** Builds the narrow, versioned context a connector operation receives. */
export function createConnectorContext(o: ConnectorContextOptions): ConnectorContext {
  const logger = o.logger.child({ connector: o.connector.id, ...(o.account.id ? { socialAccount: o.account.id } : {}) });
  const now = o.now ?? (() => new Date());
  const http =
    o.http ??
    createConnectorHttp({
      agent: o.agent,
      policy: o.policy,
      timeouts: o.timeouts,
      logger,
      now,
      ...(o.connector.errors ? { errors: o.connector.errors } : {}),
      ...(o.limiter
        ? { limits: { limiter: o.limiter, key: outboundRateLimitKey(o.tenantId, o.connector.id, o.account.id || 'connecting'), policies: o.connector.capabilities.rateLimits } }
        : {}),
    });
  return Object.freeze({
    contractVersion: CONNECTOR_CONTRACT_VERSION,
    connector: o.connector.id,
    origin: o.origin,
    account: Object.freeze({ ...o.account, settings: Object.freeze({ ...o.account.settings }) }),
    credentials: Object.freeze({ ...(o.credentials ?? {}) }),
    client: o.client ? Object.freeze({ ...o.client }) : undefined,
    http,
    logger,
    now,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, 30_000)))),
  });
}
