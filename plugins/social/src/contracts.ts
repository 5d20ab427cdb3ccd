/**
 * What other plugins may import from the social plugin: the connector extension point,
 * event names and their payloads. No logic lives here.
 */
import { assertConnector, createExtensionPointRef, type Connector } from '@markettina/sdk';

/**
 * Connector plugins contribute here: `reg.extend(socialConnectors, myConnector)` with the
 * value of `defineConnector({...})`. Contributions are checked when the kernel boots.
 */
export const socialConnectors = createExtensionPointRef<Connector>({ id: 'social.connectors', validate: assertConnector });

export const SocialAccountConnected = 'social.account.connected';
export const SocialAccountDisconnected = 'social.account.disconnected';
export const TokenRefreshed = 'social.token.refreshed';
/** The credentials no longer work and cannot be refreshed: the account needs reconnecting. */
export const TokenExpired = 'social.token.expired';

export interface SocialAccountConnectedData extends Record<string, unknown> {
  socialAccountId: string;
  connector: string;
  externalId: string;
  displayName: string;
}

export interface SocialAccountDisconnectedData extends Record<string, unknown> {
  socialAccountId: string;
  connector: string;
  externalId: string;
}

export interface TokenRefreshedData extends Record<string, unknown> {
  socialAccountId: string;
  connector: string;
  expiresAt: string | null;
}

export interface TokenExpiredData extends Record<string, unknown> {
  socialAccountId: string;
  connector: string;
  reason: string;
}
