import type { Knex } from 'knex';
import type { DomainEvent, Logger, PlanTier } from '@markettina/sdk';
import type { PluginHost } from '../plugins/host.js';
import type { EventCatalog } from './catalog.js';
import { afterFailure, errorText, type RetryPolicy } from './retry.js';

export type DeliveryOutcome = 'idle' | 'done' | 'retry' | 'dead';

const SAVEPOINT = 'event_handler';

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
  plan_tier: PlanTier | null;
  status: 'active' | 'suspended' | 'closed' | null;
  plugin_enabled: boolean | null;
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

const LOAD = `
  select d.attempts, d.event_id, e.type, e.source, e.subject, e.occurred_at, e.aggregate_id, e.data
  from event_deliveries d
  join domain_events e on e.account_id = d.account_id and e.occurred_at = d.event_time and e.id = d.event_id
  where d.id = ?`;

/**
 * Claims one due delivery and handles it, all in one transaction: the claim's row lock
 * keeps other dispatchers off it, the claim binds the transaction to the delivery's tenant,
 * the handler runs under that tenant's RLS, and the delivery is marked done in the same
 * commit as the handler's effects. If the process dies midway the transaction never
 * commits, the lock goes with the connection, and the delivery is claimable again as if
 * nothing had happened. Five round trips on success: begin, claim, savepoint + load,
 * mark done, commit.
 */
export async function deliverNext(deps: DeliverDeps, subscriberKeys: string[]): Promise<DeliveryOutcome> {
  return deps.knex.transaction(async (trx) => {
    const { rows } = await trx.raw<{ rows: ClaimRow[] }>('select * from kernel_claim_event_delivery(?::text[])', [subscriberKeys]);
    const claim = rows[0];
    if (!claim) return 'idle';
    // The savepoint rides along with the load (simple-query pipelining: the values are
    // escaped by knex); a failed handler rolls back to it, keeping the claim's lock.
    const loaded = (await trx.raw(`savepoint ${SAVEPOINT}; ${trx.raw(LOAD, [claim.id]).toQuery()}`)) as unknown as { rows: DeliveryRow[] }[];
    const row = loaded[1]?.rows[0];
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

    if (!claim.status || !row || !subscriber) {
      await settle('dead', `no handler could run: ${!claim.status ? 'the account no longer exists' : !row ? 'the event is missing' : 'the subscriber is not installed'}`);
      return 'dead';
    }
    // A tenant that disabled the plugin (or was suspended) since publishing gets no delivery;
    // the dead letter says why and can be replayed once that changes.
    if (claim.status !== 'active' || !claim.plugin_enabled) {
      await settle('dead', claim.status !== 'active' ? `the account is ${claim.status}` : `the "${claim.plugin_id}" plugin is not enabled for this account`);
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
    const tenant = { accountId: claim.account_id, planTier: claim.plan_tier! };
    try {
      await subscriber.handler(event, deps.host.tenantContext(claim.plugin_id, trx, tenant));
    } catch (err) {
      await trx.raw(`rollback to savepoint ${SAVEPOINT}`);
      const decision = afterFailure(attempts, deps.retry);
      deps.logger.warn({ err, deliveryId: claim.id, subscriber: subscriber.key, eventType: event.type, attempts }, 'event handler failed');
      await settle(decision.state, errorText(err), decision.state === 'pending' ? decision.delayMs : 0);
      return decision.state === 'dead' ? 'dead' : 'retry';
    }
    await settle('done', null);
    return 'done';
  });
}
