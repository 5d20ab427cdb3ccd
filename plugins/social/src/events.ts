import { METRIC_NAMES, type EventDeclaration, type EventBus, type JsonSchema } from '@markettina/sdk';
import type { Knex } from 'knex';
import { MetricsSynced, PostFailed, PostPublished, PostUnconfirmed, SocialAccountConnected, SocialAccountDisconnected, TokenExpired, TokenRefreshed } from './contracts.js';

const base = { socialAccountId: { type: 'string', format: 'uuid' }, connector: { type: 'string' } };
const schema = (extra: Record<string, unknown>, required: string[]): JsonSchema => ({
  type: 'object',
  properties: { ...base, ...extra },
  required: ['socialAccountId', 'connector', ...required],
  additionalProperties: false,
});

export const socialEvents: EventDeclaration[] = [
  { type: SocialAccountConnected, description: 'A social account was connected (or reconnected) and can publish.', schema: schema({ externalId: { type: 'string' }, displayName: { type: 'string' } }, ['externalId', 'displayName']) },
  { type: SocialAccountDisconnected, description: 'A social account was disconnected; its credentials are gone.', schema: schema({ externalId: { type: 'string' } }, ['externalId']) },
  { type: TokenRefreshed, description: 'The credentials of a social account were refreshed ahead of expiry.', schema: schema({ expiresAt: { type: ['string', 'null'] } }, ['expiresAt']) },
  { type: TokenExpired, description: 'The credentials of a social account stopped working; the tenant must reconnect it.', schema: schema({ reason: { type: 'string' } }, ['reason']) },
];

const source: JsonSchema = {
  type: 'object',
  properties: { plugin: { type: 'string' }, id: { type: 'string' }, version: { type: 'integer' } },
  required: ['plugin', 'id'],
  additionalProperties: false,
};
const publicationSchema = (extra: Record<string, unknown>, required: string[]): JsonSchema =>
  schema({ publicationId: { type: 'string', format: 'uuid' }, source, campaignId: { type: ['string', 'null'], format: 'uuid' }, ...extra }, ['publicationId', 'source', 'campaignId', ...required]);

export const publicationEvents: EventDeclaration[] = [
  {
    type: PostPublished,
    description: 'A scheduled publication went live on its platform.',
    schema: publicationSchema({ externalId: { type: 'string' }, url: { type: ['string', 'null'] }, publishedAt: { type: 'string', format: 'date-time' } }, ['externalId', 'url', 'publishedAt']),
  },
  { type: PostFailed, description: 'A scheduled publication will not be published; `code` and `reason` say why.', schema: publicationSchema({ code: { type: 'string' }, reason: { type: 'string' } }, ['code', 'reason']) },
  {
    type: PostUnconfirmed,
    description: 'Whether a scheduled publication went live could not be learnt; someone must check the platform.',
    schema: publicationSchema({ reason: { type: 'string' } }, ['reason']),
  },
  {
    type: MetricsSynced,
    description: "A published post's metrics were read from its platform: the latest totals (not deltas) and the engagement rate.",
    schema: publicationSchema(
      {
        syncedAt: { type: 'string', format: 'date-time' },
        metrics: { type: 'object', properties: Object.fromEntries(METRIC_NAMES.map((m) => [m, { type: 'integer', minimum: 0 }])), additionalProperties: false },
        engagementRate: { type: ['number', 'null'], minimum: 0 },
      },
      ['syncedAt', 'metrics', 'engagementRate'],
    ),
  },
];

/** Publishes a social event about one account, in the transaction that made the change. */
export function publishAccountEvent(events: EventBus, db: Knex.Transaction, type: string, socialAccountId: string, data: Record<string, unknown>): Promise<unknown> {
  return events.publish(db, { type, aggregateId: socialAccountId, subject: `social-accounts/${socialAccountId}`, data: { socialAccountId, ...data } });
}
