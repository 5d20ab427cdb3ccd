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
  },
  additionalProperties: false,
};
