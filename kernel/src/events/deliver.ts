import type { Knex } from 'knex';
import type { DomainEvent, Logger } from '@markettina/sdk';
import type { PluginHost } from '../plugins/host.js';
import { enterTenant } from '../tenancy/tenancy.js';
import type { EventCatalog } from './catalog.js';
import { afterFailure, errorText, type RetryPolicy } from './retry.js';

export type DeliveryOutcome = 'idle' | 'done' | 'retry' | 'dead';

export interface DeliverDeps {
  knex: Knex;
  host: PluginHost;
  catalog: EventCatalog;
  retry: RetryPolicy;
  logger: Logger;
}

interface ClaimRow {
  id: string;
  account_id: string;
  plugin_id: string;
  subscriber_id: string;
}

interface DeliveryRow {
  attempts: number;
  event_id: string;
  type: string;
  source: string;
  subject: string | null;
  occurred_at: Date;
  aggregate_id: string | null;
  data: Record<string, unknown>;
}

/**
 * Claims one due delivery and handles it, all in one transaction: the claim's row lock
 * keeps other dispatchers off it, the handler runs bound to the delivery's tenant, and the
 * delivery is marked done in the same commit as the handler's effects. If the process dies
 * midway the transaction never commits, the lock goes with the connection, and the
 * delivery is claimable again as if nothing had happened.
 */
export async function deliverNext(deps: DeliverDeps, subscriberKeys: string[]): Promise<DeliveryOutcome> {
  return deps.knex.transaction(async (trx) => {
    const { rows } = await trx.raw<{ rows: ClaimRow[] }>('select * from kernel_claim_event_delivery(?::text[])', [subscriberKeys]);
    const claim = rows[0];
    if (!claim) return 'idle';
    const entry = await enterTenant(trx, claim.account_id, claim.plugin_id);
    const row = await trx('event_deliveries as d')
      .join('domain_events as e', (j) => j.on('e.account_id', 'd.account_id').andOn('e.occurred_at', 'd.event_time').andOn('e.id', 'd.event_id'))
      .where('d.id', claim.id)
      .first<DeliveryRow>('d.attempts', 'd.event_id', 'e.type', 'e.source', 'e.subject', 'e.occurred_at', 'e.aggregate_id', 'e.data');
    const subscriber = deps.catalog.subscriber(`${claim.plugin_id}/${claim.subscriber_id}`);
    const attempts = (row?.attempts ?? 0) + 1;
    const settle = (state: 'done' | 'pending' | 'dead', lastError: string | null, delayMs = 0) =>
      trx('event_deliveries')
        .where({ id: claim.id })
        .update({
          state,
          attempts,
          updated_at: trx.fn.now(),
          available_at: trx.raw(`now() + ?::int * interval '1 millisecond'`, [delayMs]),
          ...(lastError !== null ? { last_error: lastError } : {}),
        });

    if (!entry || !row || !subscriber) {
      await settle('dead', `no handler could run: ${!entry ? 'the account no longer exists' : !row ? 'the event is missing' : 'the subscriber is not installed'}`);
      return 'dead';
    }
    // A tenant that disabled the plugin (or was suspended) since publishing gets no delivery;
    // the dead letter says why and can be replayed once that changes.
    if (entry.status !== 'active' || !entry.pluginEnabled) {
      await settle('dead', entry.status !== 'active' ? `the account is ${entry.status}` : `the "${claim.plugin_id}" plugin is not enabled for this account`);
      return 'dead';
    }
    const event: DomainEvent = {
      id: row.event_id,
      type: row.type,
      source: row.source,
      subject: row.subject,
      time: row.occurred_at.toISOString(),
      accountId: claim.account_id,
      aggregateId: row.aggregate_id,
      data: row.data,
    };
    try {
      // A savepoint, so a failed handler's effects roll back while the failure is recorded.
      await trx.transaction((sp) => subscriber.handler(event, deps.host.tenantContext(claim.plugin_id, sp, entry.tenant)));
    } catch (err) {
      const decision = afterFailure(attempts, deps.retry);
      deps.logger.warn({ err, deliveryId: claim.id, subscriber: subscriber.key, eventType: event.type, attempts }, 'event handler failed');
      await settle(decision.state, errorText(err), decision.state === 'pending' ? decision.delayMs : 0);
      return decision.state === 'dead' ? 'dead' : 'retry';
    }
    await settle('done', null);
    return 'done';
  });
}
