import type { Knex } from 'knex';
import type { ServiceContext, TenantContext } from './plugin.js';

/**
 * When a scheduled job runs: a cron expression (five fields, or six with seconds first),
 * evaluated in UTC, or a fixed interval in milliseconds. Intervals are aligned to the
 * epoch, so every node ticks at the same instants.
 */
export type JobSchedule = { cron: string } | { every: number };

/** The tick a scheduled run belongs to. `slot` is the same on every node for one tick. */
export interface ScheduledRun {
  jobId: string;
  slot: Date;
}

export interface ScheduledJobContext extends ServiceContext {
  run: ScheduledRun;
}

export interface TenantJobContext extends TenantContext {
  run: ScheduledRun;
}

interface JobDeclarationBase {
  /** Unique within the plugin. */
  id: string;
  schedule: JobSchedule;
  /** `cluster`: one node runs each tick (a PostgreSQL advisory lock decides). `node`: every node runs every tick. */
  scope: 'cluster' | 'node';
}

/**
 * A scheduled job. With `perTenant: true` the handler runs once per active tenant that
 * enabled the plugin, each in its own tenant transaction (a failing tenant does not stop
 * the others; its work is rolled back).
 */
export type JobDeclaration =
  | (JobDeclarationBase & { perTenant?: false; handler(ctx: ScheduledJobContext): Promise<void> })
  | (JobDeclarationBase & { perTenant: true; handler(ctx: TenantJobContext): Promise<void> });

export type JsonObject = Record<string, unknown>;

/** One attempt of a durable job, as its handler sees it. */
export interface QueuedJob<P extends JsonObject = JsonObject> {
  id: string;
  type: string;
  payload: P;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
}

export interface TaskContext extends TenantContext {
  /**
   * Reports progress (0-100) so REST clients polling `GET /v1/jobs/{id}` see it at once;
   * it is written outside the handler's transaction.
   */
  progress(percent: number): Promise<void>;
}

/** Delay before attempt n+1 is `min(maxDelayMs, baseDelayMs * 2^(n-1))`, minus up to 20% jitter. */
export interface RetryPolicy {
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * A handler for durable jobs of one type. It runs in a tenant transaction that also marks
 * the job done, so its database effects happen once; a throw rolls them back and the job
 * is retried with backoff until `maxAttempts`, then left `dead` with the last error. The
 * returned object is stored as the job's `result`.
 */
export interface TaskDeclaration<P extends JsonObject = JsonObject> {
  /** `<pluginId>.<name>`, e.g. `analytics.rebuildReport`. */
  type: string;
  retry?: RetryPolicy;
  handler(job: QueuedJob<P>, ctx: TaskContext): Promise<JsonObject | void>;
}

export interface EnqueueRequest<P extends JsonObject = JsonObject> {
  type: string;
  payload?: P;
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Attempts before the job is `dead` (default 5, at most 100). */
  maxAttempts?: number;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'dead';

export interface JobStatus {
  id: string;
  type: string;
  state: JobState;
  /** 0-100, as last reported by the handler; 100 once succeeded. */
  progress: number;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  result: JsonObject | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** The durable job queue. */
export interface Jobs {
  /**
   * Adds a job in the caller's tenant transaction: it exists (and runs) only if that
   * transaction commits.
   */
  enqueue<P extends JsonObject>(trx: Knex.Transaction, job: EnqueueRequest<P>): Promise<{ id: string }>;
  /** The job's status, if it belongs to the transaction's tenant. */
  get(trx: Knex.Transaction, id: string): Promise<JobStatus | undefined>;
}
