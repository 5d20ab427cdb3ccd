import type { FastifyPluginAsync } from 'fastify';
import { METRIC_NAMES, pageQuery, timestamp, uuid, type JsonSchema } from '@markettina/sdk';
import { PUBLICATION_STATUSES } from '../contracts.js';
import { findSync, latestSnapshot, snapshotHistory } from '../store/metrics.js';
import { publicationNotFound } from '../services/publisher.js';
import { findPublication } from '../store/publications.js';
import { errors, idParams } from './schemas.js';

const nullableTime = { ...timestamp, type: ['string', 'null'] } as const;

const snapshot: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    syncedAt: timestamp,
    metrics: { type: 'object', properties: Object.fromEntries(METRIC_NAMES.map((m) => [m, { type: 'integer', minimum: 0 }])), additionalProperties: false },
    engagementRate: { type: ['number', 'null'], description: '(likes + comments + shares) / impressions (or views) × 100' },
  },
  required: ['id', 'syncedAt', 'metrics', 'engagementRate'],
};

const publicationMetrics: JsonSchema = {
  type: 'object',
  properties: {
    publicationId: uuid,
    status: { enum: PUBLICATION_STATUSES },
    sync: {
      type: ['object', 'null'],
      description: 'Null until the publication is live',
      properties: {
        state: { enum: ['active', 'deleted', 'finished', 'unsupported'], description: 'active: read again at nextSyncAt; deleted: gone from the platform; finished: older than 90 days; unsupported: the platform exposes no post metrics' },
        lastSyncedAt: nullableTime,
        nextSyncAt: nullableTime,
        failures: { type: 'integer', minimum: 0, description: 'Failed reads since the last successful one' },
        lastError: { type: ['string', 'null'] },
      },
      required: ['state', 'lastSyncedAt', 'nextSyncAt', 'failures', 'lastError'],
    },
    latest: { oneOf: [snapshot, { type: 'null' }] },
    items: { type: 'array', items: snapshot, description: 'Snapshots, newest first' },
    nextCursor: { type: ['string', 'null'] },
  },
  required: ['publicationId', 'status', 'sync', 'latest', 'items', 'nextCursor'],
};

/** A publication's metrics as synced from its platform: the latest read and every earlier one. */
export const publicationMetricsRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/publications/:id/metrics',
    {
      config: { permission: 'social.posts:read', rateLimit: 'read' },
      schema: {
        summary: "A publication's latest metrics and the history of its snapshots, newest first",
        params: idParams,
        querystring: { type: 'object', properties: pageQuery, additionalProperties: false },
        response: { 200: publicationMetrics, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const { limit, cursor } = req.query as { limit: number; cursor?: string };
      const db = req.ctx.db;
      const publication = await findPublication(db, id);
      if (!publication) throw publicationNotFound();
      const sync = await findSync(db, id);
      const page = await snapshotHistory(db, id, { limit, ...(cursor ? { cursor } : {}) });
      return {
        publicationId: id,
        status: publication.status,
        sync: sync
          ? { state: sync.state, lastSyncedAt: sync.last_synced_at?.toISOString() ?? null, nextSyncAt: sync.next_sync_at?.toISOString() ?? null, failures: sync.failures, lastError: sync.last_error }
          : null,
        latest: (await latestSnapshot(db, id)) ?? null,
        ...page,
      };
    },
  );
};
