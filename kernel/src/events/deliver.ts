import type { Knex } from 'knex';
import type { DomainEvent, Logger, PlanTier } from '@markettina/sdk';
import type { PluginHost } from '../plugins/host.js';
import type { EventCatalog } from './catalog.js';
import { afterFailure, errorText, type RetryPolicy } from './retry.js';


export interface DeliverDeps {
  knex: Knex;
  host: PluginHost;
  catalog: EventCatalog;
  retry: RetryPolicy;
  logger: Logger;
  /** Deliveries of one tenant and plugin handled in one transaction. */
  batchSize: number;
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

interface EventRow {
  delivery_id: string;
  attempts: number;
  event_id: string;
  type: string;
  source: string;
  subject: string | null;
  occurred_at: Date;
  aggregate_id: string | null;
  data: Record<string, unknown>;
}

interface Settlement {
  id: string;
  state: 'done' | 'pending' | 'dead';
  delayMs: number;
  error: string | null;
}

const SAVEPOINT = 'event_handler';

const LOAD = `
  select d.id as delivery_id, d.attempts, d.event_id, e.type, e.source, e.subject, e.occurred_at, e.aggregate_id, e.data
  from event_deliveries d
  join domain_events e on e.account_id = d.account_id and e.occurred_at = d.event_time and e.id = d.event_id
  where d.id = any (?::bigint[])`;

/**
 * One statement settles the whole batch; a null error keeps the delivery's last one.
 * clock_timestamp(), not now(): now() is when the batch's transaction began, and the
 * handlers' running time would be taken off every retry's backoff.
 */
const SETTLE = `
  update event_deliveries d
  set state = s.state, attempts = d.attempts + 1, updated_at = clock_timestamp(),
      available_at = clock_timestamp() + s.delay_ms * interval '1 millisecond', last_error = coalesce(s.error, d.last_error)
  from unnest(?::bigint[], ?::text[], ?::int[], ?::text[]) as s(id, state, delay_ms, error)
  where d.id = s.id`;

const toEvent = (row: EventRow, accountId: string): DomainEvent => ({
  id: row.event_id,
  type: row.type,
  source: row.source,
  subject: row.subject,
  time: row.occurred_at.toISOString(),
  accountId,
  aggregateId: row.aggregate_id,
  data: row.data,
});

/**
 * Claims a batch of due deliveries (one tenant, one plugin) and handles them in one
 * transaction: the claim's row locks keep other dispatchers off them, the claim binds the
 * transaction to the tenant, each handler runs behind its own savepoint under the tenant's
 * RLS, and every delivery is settled in the same commit as the handlers' effects. A failed
 * handler rolls back to its savepoint only. If the process dies midway nothing commits,
 * the locks go with the connection, and the deliveries are claimable again as if nothing
 * had happened. Savepoints travel with the neighbouring statement (simple-query
 * pipelining; the values are escaped by knex), so a batch of n costs n + 4 round trips.
 */
/** Returns how many deliveries it claimed (0: nothing was due). */
export async function deliverNext(deps: DeliverDeps, subscriberKeys: string[]): Promise<number> {
  return deps.knex.transaction(async (trx) => {
    const { rows: claims } = await trx.raw<{ rows: ClaimRow[] }>('select * from kernel_claim_event_deliveries(?::text[], ?::int)', [
      subscriberKeys,
      deps.batchSize,
    ]);
    const first = claims[0];
    if (!first) return 0;
    const ids = claims.map((c) => c.id);
    const settlements = await handleBatch(deps, trx, first, claims, ids);
    const column = <K extends keyof Settlement>(key: K) => settlements.map((s) => s[key]) as unknown as Knex.Value;
    await trx.raw(SETTLE, [column('id'), column('state'), column('delayMs'), column('error')]);
    return claims.length;
  });
}

async function handleBatch(deps: DeliverDeps, trx: Knex.Transaction, first: ClaimRow, claims: ClaimRow[], ids: string[]): Promise<Settlement[]> {
  const dead = (error: string) => claims.map((c): Settlement => ({ id: c.id, state: 'dead', delayMs: 0, error }));
  if (!first.status) return dead('the account no longer exists');
  // A tenant that disabled the plugin (or was suspended) since publishing gets no delivery;
  // the dead letter says why and can be replayed once that changes.
  if (first.status !== 'active') return dead(`the account is ${first.status}`);
  if (!first.plugin_enabled) return dead(`the "${first.plugin_id}" plugin is not enabled for this account`);

  const loaded = (await trx.raw(`savepoint ${SAVEPOINT}; ${trx.raw(LOAD, [ids]).toQuery()}`)) as unknown as { rows: EventRow[] }[];
  const events = new Map(loaded[1]!.rows.map((r) => [String(r.delivery_id), r]));
  const tenant = { accountId: first.account_id, planTier: first.plan_tier! };
  const out: Settlement[] = [];
  for (const [i, claim] of claims.entries()) {
    if (i > 0) await trx.raw(`release savepoint ${SAVEPOINT}; savepoint ${SAVEPOINT}`);
    const row = events.get(String(claim.id));
    const subscriber = deps.catalog.subscriber(`${claim.plugin_id}/${claim.subscriber_id}`);
    if (!row || !subscriber) {
      out.push({ id: claim.id, state: 'dead', delayMs: 0, error: !row ? 'the event is missing' : 'the subscriber is not installed' });
      continue;
    }
    const event = toEvent(row, claim.account_id);
    try {
      await subscriber.handler(event, deps.host.tenantContext(claim.plugin_id, trx, tenant));
      out.push({ id: claim.id, state: 'done', delayMs: 0, error: null });
    } catch (err) {
      await trx.raw(`rollback to savepoint ${SAVEPOINT}`);
      const attempt = row.attempts + 1;
      const decision = afterFailure(attempt, deps.retry);
      deps.logger.warn({ err, deliveryId: claim.id, subscriber: subscriber.key, eventType: event.type, attempt }, 'event handler failed');
      out.push({ id: claim.id, state: decision.state, delayMs: decision.state === 'pending' ? decision.delayMs : 0, error: errorText(err) });
    }
  }
  return out;
}
