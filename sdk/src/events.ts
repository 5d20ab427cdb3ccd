import type { Knex } from 'knex';
import type { DomainEvent } from './plugin.js';

/** What a plugin publishes; the kernel adds id, source, time and tenant. */
export interface PublishInput<P extends Record<string, unknown> = Record<string, unknown>> {
  /** A type some installed plugin declared with `reg.publishes()`; its schema checks `data`. */
  type: string;
  /** Events with the same aggregate id reach each subscriber in the order they were published. */
  aggregateId?: string;
  /** CloudEvents `subject`: what the event is about, within its source. */
  subject?: string;
  data: P;
}

/** The transactional event bus (an outbox): publish inside the transaction that makes the change. */
export interface EventBus {
  /**
   * Records the event in `trx` (bound to a tenant, e.g. `request.ctx.db` or a handler's
   * `ctx.db`) with one delivery per subscriber whose plugin the tenant enabled. Nothing is
   * delivered unless `trx` commits. Throws EventPublishError for an undeclared type or
   * data that does not match the declared schema.
   */
  publish<P extends Record<string, unknown>>(trx: Knex.Transaction, event: PublishInput<P>): Promise<DomainEvent<P>>;
}

export type EventPublishErrorCode = 'EVENT_TYPE_UNDECLARED' | 'EVENT_DATA_INVALID' | 'EVENT_NO_TENANT';

/** A mistake in the publishing code, not in a client's request: it surfaces as a 500. */
export class EventPublishError extends Error {
  readonly code: EventPublishErrorCode;
  constructor(code: EventPublishErrorCode, message: string) {
    super(message);
    this.name = 'EventPublishError';
    this.code = code;
  }
}

/** A domain event as a CloudEvents 1.0 structured JSON document. */
export interface CloudEvent<P = Record<string, unknown>> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject?: string;
  datacontenttype: 'application/json';
  data: P;
  /** Extension attributes (lower-case alphanumerics, as the spec requires). */
  accountid: string;
  aggregateid?: string;
}

/** Maps the envelope onto CloudEvents, e.g. for webhooks or a relay to an external broker. */
export function toCloudEvent<P>(event: DomainEvent<P>): CloudEvent<P> {
  return {
    specversion: '1.0',
    id: event.id,
    source: event.source,
    type: event.type,
    time: event.time,
    ...(event.subject !== null ? { subject: event.subject } : {}),
    datacontenttype: 'application/json',
    data: event.data,
    accountid: event.accountId,
    ...(event.aggregateId !== null ? { aggregateid: event.aggregateId } : {}),
  };
}
