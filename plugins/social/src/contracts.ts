/**
 * What other plugins may import from the social plugin: the connector extension point,
 * event names and their payloads. No logic lives here.
 */
import { assertConnector, createExtensionPointRef, createServiceRef, type Connector, type DraftArticle, type PostMetrics } from '@markettina/sdk';
import type { Knex } from 'knex';

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

// ---------------------------------------------------------------------------------------
// Publishing pipeline: other plugins (content) schedule publications; the social plugin
// claims them when due, publishes through the account's connector and reports outcomes.
// ---------------------------------------------------------------------------------------

/** An attachment kept in the kernel's blob store (`coreServices.blobs`), read at publish time. */
export interface PublicationMedia {
  blobKey: string;
  mimeType: string;
  sizeBytes: number;
  altText?: string;
  fileName?: string;
}

export interface PublicationPart {
  text: string;
  media?: PublicationMedia[];
}

/**
 * What to publish on one account: the variant for that account's platform, before the
 * connector adapts it. Same shape as a connector `PostDraft`, with media by blob key.
 */
export interface PublicationDraft extends PublicationPart {
  thread?: PublicationPart[];
  firstComment?: string;
  article?: DraftArticle;
}

/** Who asked for a publication: a plugin and the id (and version) of its aggregate. */
export interface PublicationSource {
  plugin: string;
  id: string;
  version?: number;
}

export const PUBLICATION_STATUSES = ['scheduled', 'publishing', 'pending', 'retrying', 'published', 'failed', 'unconfirmed', 'cancelled'] as const;
/**
 * - `scheduled`: waiting for `dueAt`;
 * - `publishing`: claimed by a node, the platform call may be under way (leased);
 * - `pending`: the platform accepted it but it is not live yet; polled with `checkStatus`;
 * - `retrying`: a transient failure or a rate limit; tried again at `nextAttemptAt`;
 * - `published`: live (terminal until deleted);
 * - `failed`: will not be published (content rejected, account needs reconnecting, retries exhausted);
 * - `unconfirmed`: the outcome could not be learnt; never retried blindly;
 * - `cancelled`: withdrawn before it was claimed.
 */
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];

export interface ScheduleRequest {
  socialAccountId: string;
  draft: PublicationDraft;
  dueAt: Date;
  /** IANA zone the time was chosen in; kept for display. */
  timeZone?: string;
  source: PublicationSource;
  campaignId?: string | null;
}

/**
 * A connected account as a scheduler sees it: which platform (connector) it publishes to,
 * so the caller can pick the variant written for that platform before scheduling.
 */
export interface PublicationAccount {
  socialAccountId: string;
  connector: string;
  displayName: string;
  status: 'pending_channel' | 'connected' | 'reconnect_required' | 'disconnected';
}

export interface PublicationView {
  id: string;
  socialAccountId: string;
  connector: string;
  status: PublicationStatus;
  dueAt: string;
  timeZone: string | null;
  source: PublicationSource;
  campaignId: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  externalId: string | null;
  url: string | null;
  publishedAt: string | null;
  failure: { code: string; reason: string } | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Scheduling for other plugins. Every call works in the caller's tenant transaction, so a
 * publication exists only if the caller's change commits.
 */
export interface Publisher {
  /**
   * Checks the account (404 if unknown, 409 ACCOUNT_NOT_CONNECTED / RECONNECT_REQUIRED) and
   * the draft against the connector's declared rules (422 DRAFT_INVALID with `errors`), then
   * schedules it.
   */
  schedule(trx: Knex.Transaction, request: ScheduleRequest): Promise<PublicationView>;
  /** Moves a publication that is still `scheduled`; 409 PUBLICATION_NOT_SCHEDULED otherwise. */
  reschedule(trx: Knex.Transaction, id: string, dueAt: Date, timeZone?: string): Promise<PublicationView>;
  /** Withdraws a publication that is still `scheduled` or `retrying`; 409 PUBLICATION_NOT_SCHEDULED otherwise. */
  cancel(trx: Knex.Transaction, id: string): Promise<PublicationView>;
  get(trx: Knex.Transaction, id: string): Promise<PublicationView | undefined>;
  /** The tenant's social account `socialAccountId`, or undefined when there is none. */
  account(trx: Knex.Transaction, socialAccountId: string): Promise<PublicationAccount | undefined>;
  /** Every publication of one source aggregate, oldest first. */
  forSource(trx: Knex.Transaction, source: { plugin: string; id: string }): Promise<PublicationView[]>;
}

export const socialPublisher = createServiceRef<Publisher>({ id: 'social.publisher' });

export const PostPublished = 'social.PostPublished';
export const PostFailed = 'social.PostFailed';
/** The platform call's outcome could not be learnt; a person must check the platform. */
export const PostUnconfirmed = 'social.PostUnconfirmed';
export const MetricsSynced = 'social.MetricsSynced';

interface PublicationEventBase extends Record<string, unknown> {
  publicationId: string;
  socialAccountId: string;
  connector: string;
  source: PublicationSource;
  campaignId: string | null;
}

export interface PostPublishedData extends PublicationEventBase {
  externalId: string;
  url: string | null;
  publishedAt: string;
}

export interface PostFailedData extends PublicationEventBase {
  code: string;
  reason: string;
}

export interface PostUnconfirmedData extends PublicationEventBase {
  reason: string;
}

export interface MetricsSyncedData extends PublicationEventBase {
  syncedAt: string;
  /** The latest totals the platform reported (not deltas). */
  metrics: PostMetrics;
  /** (likes + comments + shares) / impressions × 100 (views where the platform counts no impressions); null when neither is known or both are 0. */
  engagementRate: number | null;
}
