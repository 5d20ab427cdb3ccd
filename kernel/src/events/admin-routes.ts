import type { FastifyPluginAsync } from 'fastify';
import { pageOf, pageQuery, timestamp, uuid } from '@markettina/sdk';
import { DELIVERY_STATES, getDelivery, listDeliveries, replayDelivery, type DeliveryState } from './deliveries.js';

/** Declared with the other kernel permissions in http/kernel-permissions.ts. */
export const EVENTS_ADMIN_PERMISSION = 'kernel.events:admin';

const nullableString = { type: ['string', 'null'] } as const;

const delivery = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    state: { enum: DELIVERY_STATES },
    attempts: { type: 'integer' },
    lastError: nullableString,
    availableAt: timestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
    subscriber: {
      type: 'object',
      properties: { pluginId: { type: 'string' }, subscriberId: { type: 'string' } },
      required: ['pluginId', 'subscriberId'],
    },
    event: {
      type: 'object',
      properties: { id: uuid, type: { type: 'string' }, source: { type: 'string' }, subject: nullableString, time: timestamp, aggregateId: nullableString },
      required: ['id', 'type', 'source', 'subject', 'time', 'aggregateId'],
    },
  },
  required: ['id', 'state', 'attempts', 'lastError', 'availableAt', 'createdAt', 'updatedAt', 'subscriber', 'event'],
} as const;

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,18}$', maxLength: 19 } },
  required: ['id'],
  additionalProperties: false,
} as const;

const errors = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } };
const config = { permission: EVENTS_ADMIN_PERMISSION };
const tags = ['events'];

/**
 * The dead-letter admin, under /v1/admin/events (a kernel route group). It runs in the
 * caller's tenant transaction like any tenant route, so an account sees and replays only
 * its own deliveries.
 */
export const eventsAdminRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/admin/events/deliveries',
    {
      config,
      schema: {
        tags,
        summary: 'List event deliveries, newest first',
        querystring: { type: 'object', properties: { state: { enum: DELIVERY_STATES }, ...pageQuery }, additionalProperties: false },
        response: { 200: pageOf(delivery), ...errors },
      },
    },
    async (req) => {
      const { state, limit, cursor } = req.query as { state?: DeliveryState; limit: number; cursor?: string };
      return listDeliveries(req.ctx.db, { state, limit, cursor });
    },
  );
  app.get(
    '/admin/events/deliveries/:id',
    { config, schema: { tags, summary: 'One event delivery', params: idParams, response: { 200: delivery, ...errors, 404: { $ref: 'Problem#' } } } },
    async (req) => getDelivery(req.ctx.db, (req.params as { id: string }).id),
  );
  app.post(
    '/admin/events/deliveries/:id/replay',
    {
      config,
      schema: {
        tags,
        summary: 'Queue a dead delivery again with a fresh attempt budget',
        params: idParams,
        response: { 200: delivery, ...errors, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } },
      },
    },
    async (req) => replayDelivery(req.ctx.db, (req.params as { id: string }).id),
  );
};
