import type { JsonSchema, OAuthClient } from '@markettina/sdk';

/** The social plugin's deployment settings (validated, with defaults applied, at boot). */
export interface SocialConfig {
  /** Where platforms send the tenant's browser back after authorising (the app's callback page). */
  oauth: { redirectUri?: string; clients: Record<string, OAuthClient> };
  /**
   * Outbound requests go to user-supplied URLs (a Mastodon instance, a blog), so private and
   * loopback addresses and plain http are refused unless a deployment allows them.
   */
  network: { allowLoopback: boolean; allowPrivateNetworks: boolean; allowPlainHttp: boolean };
  timeouts: { connectMs: number; responseMs: number };
  /** Tokens expiring within this many seconds are refreshed by the refresh job (which runs every minute). */
  refreshAheadSeconds: number;
  publishing: PublishingConfig;
  metrics: MetricsConfig;
}

/** How much the metrics sync (a cluster job, every minute) reads per run. */
export interface MetricsConfig {
  /** Most publications read in one run, over every tenant. */
  batchSize: number;
  /** Most publications of one connected account read in one run. */
  perAccount: number;
  /** Connected accounts read at the same time. */
  concurrency: number;
}

/** How the publish job claims due publications and how long it keeps trying. */
export interface PublishingConfig {
  /** Publications one node publishes at once (each holds no database connection while it waits on a platform). */
  concurrency: number;
  /** Rows one claim takes; the job claims again as slots free up. */
  batchSize: number;
  /** How long a claim holds a row; renewed while the platform call runs, taken over by another node once it runs out. */
  leaseSeconds: number;
  /** Platform calls (not counting rate limits) before a publication fails. */
  maxAttempts: number;
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** A publication this late is not published (TOO_LATE). */
  maxLatenessSeconds: number;
  /** A publish still pending on the platform after this long is unconfirmed. */
  pendingTimeoutSeconds: number;
  pollMinSeconds: number;
  pollMaxSeconds: number;
}

export const configSchema: JsonSchema = {
  type: 'object',
  properties: {
    oauth: {
      type: 'object',
      properties: {
        redirectUri: { type: 'string', format: 'uri' },
        clients: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: { clientId: { type: 'string', minLength: 1 }, clientSecret: { type: 'string' } },
            required: ['clientId'],
            additionalProperties: false,
          },
          default: {},
        },
      },
      additionalProperties: false,
      default: {},
    },
    network: {
      type: 'object',
      properties: {
        allowLoopback: { type: 'boolean', default: false },
        allowPrivateNetworks: { type: 'boolean', default: false },
        allowPlainHttp: { type: 'boolean', default: false },
      },
      additionalProperties: false,
      default: {},
    },
    timeouts: {
      type: 'object',
      properties: {
        connectMs: { type: 'integer', minimum: 100, maximum: 60_000, default: 5_000 },
        responseMs: { type: 'integer', minimum: 100, maximum: 300_000, default: 20_000 },
      },
      additionalProperties: false,
      default: {},
    },
    refreshAheadSeconds: { type: 'integer', minimum: 60, maximum: 86_400, default: 600 },
    publishing: {
      type: 'object',
      properties: {
        concurrency: { type: 'integer', minimum: 1, maximum: 256, default: 16 },
        batchSize: { type: 'integer', minimum: 1, maximum: 1_000, default: 32 },
        leaseSeconds: { type: 'number', minimum: 0.5, maximum: 3_600, default: 120 },
        maxAttempts: { type: 'integer', minimum: 1, maximum: 50, default: 5 },
        retryBaseSeconds: { type: 'number', minimum: 0, maximum: 3_600, default: 30 },
        retryMaxSeconds: { type: 'number', minimum: 0, maximum: 86_400, default: 3_600 },
        maxLatenessSeconds: { type: 'integer', minimum: 60, maximum: 30 * 86_400, default: 86_400 },
        pendingTimeoutSeconds: { type: 'number', minimum: 1, maximum: 7 * 86_400, default: 3_600 },
        pollMinSeconds: { type: 'number', minimum: 0, maximum: 3_600, default: 5 },
        pollMaxSeconds: { type: 'number', minimum: 0, maximum: 86_400, default: 300 },
      },
      additionalProperties: false,
      default: {},
    },
    metrics: {
      type: 'object',
      properties: {
        batchSize: { type: 'integer', minimum: 1, maximum: 10_000, default: 500 },
        perAccount: { type: 'integer', minimum: 1, maximum: 1_000, default: 50 },
        concurrency: { type: 'integer', minimum: 1, maximum: 64, default: 4 },
      },
      additionalProperties: false,
      default: {},
    },
  },
  additionalProperties: false,
};
