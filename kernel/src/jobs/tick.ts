import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ScheduledRun } from '@markettina/sdk';
import type { PluginHost } from '../plugins/host.js';
import type { Tenancy } from '../tenancy/tenancy.js';
import { KERNEL_OWNER, type ScheduledEntry } from './registry.js';

export interface TickDeps {
  knex: Knex;
  host: PluginHost;
  tenancy: Tenancy;
  logger: Logger;
}

/** First key of the two-key advisory locks the scheduler takes ('JOBS'), so they cannot clash with other locks. */
export const SCHEDULE_LOCK_CLASS = 0x4a4f4253;

export type TickOutcome = 'ran' | 'locked' | 'already-ran';

/**
 * Runs one tick of a schedule. A `cluster` tick runs while holding a transaction-scoped
 * advisory lock and only if no node has run this slot yet, so nodes firing the same tick
 * run it once and a long run never overlaps the next. Handler errors are logged, not
 * thrown: the slot counts as run either way.
 */
export async function runTick(deps: TickDeps, entry: ScheduledEntry, slot: Date): Promise<TickOutcome> {
  const run: ScheduledRun = { jobId: entry.job.id, slot };
  if (entry.job.scope === 'node') {
    await runHandler(deps, entry, run);
    return 'ran';
  }
  return deps.knex.transaction(async (trx: Knex.Transaction): Promise<TickOutcome> => {
    const lock = await trx.raw<{ rows: { locked: boolean }[] }>('select pg_try_advisory_xact_lock(?::int, hashtext(?)) as locked', [SCHEDULE_LOCK_CLASS, entry.key]);
    if (!lock.rows[0]?.locked) return 'locked';
    const slotClaim = await trx.raw<{ rows: { claimed: boolean }[] }>('select coalesce(kernel_claim_schedule_slot(?, ?), false) as claimed', [entry.key, slot]);
    if (!slotClaim.rows[0]?.claimed) return 'already-ran';
    await runHandler(deps, entry, run);
    return 'ran';
  });
}

async function runHandler(deps: TickDeps, entry: ScheduledEntry, run: ScheduledRun): Promise<void> {
  const { job, pluginId } = entry;
  const log = deps.logger.child({ plugin: pluginId, scheduledJob: job.id, slot: run.slot.toISOString() });
  if (!job.perTenant) {
    try {
      await job.handler({ ...deps.host.contextFor(pluginId), run });
    } catch (err) {
      log.error({ err }, 'scheduled job failed');
    }
    return;
  }
  await deps.tenancy.forEachTenant(pluginId === KERNEL_OWNER ? null : pluginId, async (trx, tenant) => {
    try {
      // A savepoint per tenant: a failing tenant's work is rolled back and the others still run.
      await trx.transaction((db) => job.handler({ ...deps.host.tenantContext(pluginId, db, tenant), run }));
    } catch (err) {
      log.error({ err, account: tenant.accountId }, 'scheduled job failed for a tenant');
    }
  });
}
