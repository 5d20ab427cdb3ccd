import type { Knex } from 'knex';
import { EventPublishError, type DomainEvent, type EventBus, type PublishInput } from '@markettina/sdk';
import { formatAjvErrors } from '../plugins/validate.js';
import type { EventCatalog } from './catalog.js';

/** The NOTIFY channel that wakes dispatchers; publishing and replaying signal it on commit. */
export const EVENTS_CHANNEL = 'markettina_events';

interface PublishedRow {
  id: string;
  account_id: string;
  occurred_at: Date;
  deliveries: number;
}

/**
 * Publishing is one round trip: `kernel_publish_event` writes the event and the deliveries
 * for the subscribers whose plugin the tenant enabled, in the caller's transaction.
 */
export class KernelEventBus implements EventBus {
  constructor(private readonly catalog: EventCatalog) {}

  async publish<P extends Record<string, unknown>>(trx: Knex.Transaction, input: PublishInput<P>): Promise<DomainEvent<P>> {
    const declared = this.catalog.declared(input.type);
    if (!declared) {
      throw new EventPublishError('EVENT_TYPE_UNDECLARED', `event type "${input.type}" is not declared by any installed plugin; declare it with reg.publishes({ type, schema })`);
    }
    // Validation fills in schema defaults, so it works on a copy of the caller's object.
    const data = structuredClone(input.data);
    if (!declared.validate(data)) {
      throw new EventPublishError('EVENT_DATA_INVALID', `data of event "${input.type}" does not match its declared schema: ${formatAjvErrors(declared.validate.errors)}`);
    }
    const subscribers = this.catalog.subscribersOf(input.type);
    let row: PublishedRow;
    try {
      const { rows } = await trx.raw<{ rows: PublishedRow[] }>('select * from kernel_publish_event(?, ?, ?, ?, ?::jsonb, ?::text[], ?::text[])', [
        input.type,
        declared.source,
        input.subject ?? null,
        input.aggregateId ?? null,
        JSON.stringify(data),
        subscribers.map((s) => s.pluginId),
        subscribers.map((s) => s.subscriberId),
      ]);
      row = rows[0]!;
    } catch (err) {
      if ((err as { code?: string }).code === 'MKE01') {
        throw new EventPublishError('EVENT_NO_TENANT', `event "${input.type}" was published in a transaction not bound to a tenant; publish with request.ctx.db, a handler's ctx.db or tenancy.withTenant`);
      }
      throw err;
    }
    return {
      id: row.id,
      type: input.type,
      source: declared.source,
      subject: input.subject ?? null,
      time: row.occurred_at.toISOString(),
      accountId: row.account_id,
      aggregateId: input.aggregateId ?? null,
      data,
    };
  }
}
