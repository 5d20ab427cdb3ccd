import type { Knex } from 'knex';
import { decodeCursor, encodeCursor, problems } from '@markettina/sdk';
import { EVENTS_CHANNEL } from './bus.js';

export const DELIVERY_STATES = ['pending', 'done', 'dead'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface DeliveryView {
  id: string;
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  availableAt: string;
  createdAt: string;
  updatedAt: string;
  subscriber: { pluginId: string; subscriberId: string };
  event: { id: string; type: string; source: string; subject: string | null; time: string; aggregateId: string | null };
}

interface Row {
  id: string;
  state: DeliveryState;
  attempts: number;
  last_error: string | null;
  available_at: Date;
  created_at: Date;
  updated_at: Date;
  plugin_id: string;
  subscriber_id: string;
  event_id: string;
  type: string;
  source: string;
  subject: string | null;
  occurred_at: Date;
  aggregate_id: string | null;
}

const toView = (r: Row): DeliveryView => ({
  id: String(r.id),
  state: r.state,
  attempts: r.attempts,
  lastError: r.last_error,
  availableAt: r.available_at.toISOString(),
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  subscriber: { pluginId: r.plugin_id, subscriberId: r.subscriber_id },
  event: { id: r.event_id, type: r.type, source: r.source, subject: r.subject, time: r.occurred_at.toISOString(), aggregateId: r.aggregate_id },
});

/** Deliveries of the transaction's tenant joined with their events (RLS scopes both). */
const withEvents = (trx: Knex.Transaction) =>
  trx('event_deliveries as d')
    .join('domain_events as e', (j) => j.on('e.account_id', 'd.account_id').andOn('e.occurred_at', 'd.event_time').andOn('e.id', 'd.event_id'))
    .select<Row[]>(
      'd.id', 'd.state', 'd.attempts', 'd.last_error', 'd.available_at', 'd.created_at', 'd.updated_at', 'd.plugin_id', 'd.subscriber_id',
      'd.event_id', 'e.type', 'e.source', 'e.subject', 'e.occurred_at', 'e.aggregate_id',
    );

const ID = /^[1-9][0-9]{0,18}$/;

/** Newest first, keyset-paginated on the delivery id. */
export async function listDeliveries(
  trx: Knex.Transaction,
  query: { state?: DeliveryState; limit: number; cursor?: string },
): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  let q = withEvents(trx).orderBy('d.id', 'desc').limit(query.limit + 1);
  if (query.state) q = q.where('d.state', query.state);
  if (query.cursor) {
    const [after] = decodeCursor(query.cursor, 1) ?? [];
    if (typeof after !== 'string' || !ID.test(after)) throw problems.badRequest('INVALID_CURSOR', 'cursor is not one this API issued');
    q = q.where('d.id', '<', after);
  }
  const rows = await q;
  const items = rows.slice(0, query.limit).map(toView);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.id]) : null };
}

export async function getDelivery(trx: Knex.Transaction, id: string): Promise<DeliveryView> {
  const row = ID.test(id) ? await withEvents(trx).where('d.id', id).first() : undefined;
  if (!row) throw problems.notFound('delivery');
  return toView(row);
}

/**
 * Puts a dead delivery back in the queue with a fresh attempt budget. Its last error stays
 * until an attempt succeeds or fails anew, so the reason it died is not lost on replay.
 */
export async function replayDelivery(trx: Knex.Transaction, id: string): Promise<DeliveryView> {
  const current = await getDelivery(trx, id);
  if (current.state !== 'dead') {
    throw problems.conflict('DELIVERY_NOT_DEAD', `delivery ${id} is ${current.state}; only dead deliveries can be replayed`, { state: current.state });
  }
  await trx('event_deliveries').where({ id, state: 'dead' }).update({ state: 'pending', attempts: 0, available_at: trx.fn.now(), updated_at: trx.fn.now() });
  await trx.raw('select pg_notify(?, ?)', [EVENTS_CHANNEL, '']);
  return getDelivery(trx, id);
}
