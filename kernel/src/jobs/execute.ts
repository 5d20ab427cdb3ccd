import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { JsonObject, TaskContext } from '@markettina/sdk';
import type { PluginHost } from '../plugins/host.js';
import { enterTenant } from '../tenancy/tenancy.js';
import { afterFailure } from './backoff.js';
import type { Claim } from './claim.js';
import type { JobRow } from './queue.js';
import type { TaskEntry } from './registry.js';

export interface ExecuteDeps {
  knex: Knex;
  host: PluginHost;
  tasks: ReadonlyMap<string, TaskEntry>;
  logger: Logger;
  leaseMs: number;
}

export type Outcome = 'succeeded' | 'retry' | 'dead' | 'fenced';

const MAX_ERROR_LENGTH = 2000;

/** Thrown when the job is no longer ours (lease expired and it was claimed again): rolls back the handler's work. */
class LeaseLost extends Error {}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_LENGTH) || 'failed without a message';

/** Updates this attempt's row in a short tenant transaction of its own, outside the handler's. */
async function updateAttempt(knex: Knex, claim: Claim, patch: (trx: Knex.Transaction) => Record<string, unknown>): Promise<number> {
  return knex.transaction(async (trx): Promise<number> => {
    await enterTenant(trx, claim.accountId, null);
    return trx('jobs').where({ id: claim.id, state: 'running', attempts: claim.attempt }).update({ ...patch(trx), updated_at: trx.fn.now() });
  });
}

// clock_timestamp(): now() is the transaction's start, and a handler's running time would shorten the lease.
const leaseUntil = (trx: Knex.Transaction, leaseMs: number) => trx.raw('clock_timestamp() + make_interval(secs => ?)', [leaseMs / 1000]);

function progressReporter(deps: ExecuteDeps, claim: Claim): TaskContext['progress'] {
  return async (percent) => {
    if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
      throw new RangeError(`progress must be a number from 0 to 100 (got ${String(percent)})`);
    }
    await updateAttempt(deps.knex, claim, (trx) => ({ progress: Math.floor(percent), locked_until: leaseUntil(trx, deps.leaseMs) }));
  };
}

/**
 * Runs one claimed job: the handler and the `succeeded` mark share one tenant transaction,
 * so the job's effects commit exactly when it is recorded as done. A failure is recorded
 * afterwards in a transaction of its own, as a retry with backoff or as `dead`.
 */
export async function executeClaim(deps: ExecuteDeps, claim: Claim): Promise<Outcome> {
  const log = deps.logger.child({ job: claim.id, account: claim.accountId, attempt: claim.attempt });
  const renew = setInterval(() => {
    updateAttempt(deps.knex, claim, (trx) => ({ locked_until: leaseUntil(trx, deps.leaseMs) })).catch((err: unknown) =>
      log.warn({ err }, 'could not renew the job lease'),
    );
  }, Math.max(1, Math.floor(deps.leaseMs / 3)));
  renew.unref();
  let entry: TaskEntry | undefined;
  try {
    return await deps.knex.transaction(async (trx): Promise<Outcome> => {
      const tenant = await enterTenant(trx, claim.accountId, claim.pluginId);
      if (!tenant || tenant.status !== 'active') throw new Error(`the account is ${tenant?.status ?? 'gone'}`);
      if (!tenant.pluginEnabled) throw new Error(`the "${claim.pluginId}" plugin is not enabled for this account`);
      const row = await trx<JobRow>('jobs').where({ id: claim.id }).first();
      if (!row || row.state !== 'running' || row.attempts !== claim.attempt) return 'fenced';
      entry = deps.tasks.get(row.type);
      if (!entry) throw new Error(`no handler for job type "${row.type}"`);
      const ctx: TaskContext = { ...deps.host.tenantContext(claim.pluginId, trx, tenant.tenant), progress: progressReporter(deps, claim) };
      const result: JsonObject | void = await entry.task.handler(
        { id: row.id, type: row.type, payload: row.payload, attempt: claim.attempt, maxAttempts: row.max_attempts },
        ctx,
      );
      const done = await trx('jobs')
        .where({ id: claim.id, state: 'running', attempts: claim.attempt })
        .update({
          state: 'succeeded',
          progress: 100,
          result: result ? JSON.stringify(result) : null,
          last_error: null,
          locked_until: null,
          finished_at: trx.fn.now(),
          updated_at: trx.fn.now(),
        });
      if (done === 0) throw new LeaseLost();
      return 'succeeded';
    });
  } catch (err) {
    if (err instanceof LeaseLost) {
      log.warn('the job lease expired while it ran; its work was rolled back');
      return 'fenced';
    }
    return recordFailure(deps, claim, entry, err, log);
  } finally {
    clearInterval(renew);
  }
}

async function recordFailure(deps: ExecuteDeps, claim: Claim, entry: TaskEntry | undefined, err: unknown, log: Logger): Promise<Outcome> {
  return deps.knex.transaction(async (trx) => {
    await enterTenant(trx, claim.accountId, null);
    const row = await trx<JobRow>('jobs').where({ id: claim.id, state: 'running', attempts: claim.attempt }).forUpdate().first();
    if (!row) return 'fenced';
    const next = afterFailure(claim.attempt, row.max_attempts, entry?.task.retry);
    log.warn({ err, type: row.type, next: next.state }, 'job attempt failed');
    await trx('jobs')
      .where({ id: claim.id, attempts: claim.attempt })
      .update({
        state: next.state,
        last_error: errorText(err),
        locked_until: null,
        updated_at: trx.fn.now(),
        ...(next.state === 'dead' ? { finished_at: trx.fn.now() } : { run_at: trx.raw('clock_timestamp() + make_interval(secs => ?)', [next.delayMs / 1000]) }),
      });
    return next.state === 'dead' ? 'dead' : 'retry';
  });
}
