import type { Knex } from 'knex';
import { CURRENT_ACCOUNT, type EnqueueRequest, type Jobs, type JobStatus, type JsonObject } from '@markettina/sdk';
import type { TaskEntry } from './registry.js';

export const MAX_ATTEMPTS_LIMIT = 100;
export const DEFAULT_MAX_ATTEMPTS = 5;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface JobRow {
  account_id: string;
  id: string;
  plugin_id: string;
  type: string;
  payload: JsonObject;
  state: JobStatus['state'];
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_until: Date | null;
  progress: number;
  last_error: string | null;
  result: JsonObject | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export const toJobStatus = (r: JobRow): JobStatus => ({
  id: r.id,
  type: r.type,
  state: r.state,
  progress: r.progress,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAt: r.run_at.toISOString(),
  lastError: r.last_error,
  result: r.result,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/** Checks an enqueue request against the registered tasks; returns the owning plugin. */
export function checkEnqueue(tasks: ReadonlyMap<string, TaskEntry>, req: EnqueueRequest<JsonObject>): string {
  const entry = tasks.get(req.type);
  if (!entry) throw new TypeError(`jobs.enqueue: no installed plugin handles job type "${req.type}"; declare it with reg.task({ type, handler })`);
  const max = req.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(max) || max < 1 || max > MAX_ATTEMPTS_LIMIT) {
    throw new TypeError(`jobs.enqueue: maxAttempts must be a whole number from 1 to ${MAX_ATTEMPTS_LIMIT} (got ${String(req.maxAttempts)})`);
  }
  if (req.runAt !== undefined && !(req.runAt instanceof Date && Number.isFinite(req.runAt.getTime()))) {
    throw new TypeError('jobs.enqueue: runAt must be a valid Date');
  }
  return entry.pluginId;
}

/** The durable queue as plugins see it: writes and reads go through the caller's tenant transaction. */
export class JobQueue implements Jobs {
  constructor(private readonly tasks: ReadonlyMap<string, TaskEntry>) {}

  async enqueue<P extends JsonObject>(trx: Knex.Transaction, req: EnqueueRequest<P>): Promise<{ id: string }> {
    const pluginId = checkEnqueue(this.tasks, req);
    // The tenant comes from the transaction itself, so a job can only be filed under the tenant that is running.
    const { rows } = await trx.raw<{ rows: { id: string }[] }>(
      `insert into jobs (account_id, plugin_id, type, payload, run_at, max_attempts)
       select t.account_id, ?, ?, ?::jsonb, coalesce(?::timestamptz, now()), ?
       from (select ${CURRENT_ACCOUNT} as account_id) t where t.account_id is not null
       returning id`,
      [pluginId, req.type, JSON.stringify(req.payload ?? {}), req.runAt?.toISOString() ?? null, req.maxAttempts ?? DEFAULT_MAX_ATTEMPTS],
    );
    const row = rows[0];
    if (!row) throw new TypeError('jobs.enqueue needs a tenant transaction (a request ctx.db or a tenant context db)');
    return { id: row.id };
  }

  async get(trx: Knex.Transaction, id: string): Promise<JobStatus | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await trx<JobRow>('jobs').where({ id }).first();
    return row ? toJobStatus(row) : undefined;
  }
}
