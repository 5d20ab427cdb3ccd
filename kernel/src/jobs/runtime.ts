import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { PluginError, type JobDeclaration } from '@markettina/sdk';
import type { PluginHost } from '../plugins/host.js';
import type { Registration } from '../plugins/registration.js';
import type { Tenancy } from '../tenancy/tenancy.js';
import { JobQueue } from './queue.js';
import { KERNEL_OWNER, scheduledEntries, scheduledEntry, taskTable, type ScheduledEntry, type TaskEntry } from './registry.js';
import { TaskRunner } from './runner.js';
import { Scheduler } from './scheduler.js';

export interface JobsConfig {
  /** Run schedule ticks on this node. */
  scheduler: boolean;
  /** Claim and run durable jobs on this node. */
  worker: boolean;
  pollIntervalMs: number;
  concurrency: number;
  leaseMs: number;
}

export interface JobsDeps {
  knex: Knex;
  tenancy: Tenancy;
  logger: Logger;
  plugins: Registration[];
  config: JobsConfig;
}

/**
 * The kernel's jobs service: the durable queue plugins enqueue into, the runner that
 * works it off, and the scheduler that fires declared schedules. Kernel subsystems add
 * their own schedules with `addKernelJob` before `start`.
 */
export class JobsRuntime {
  readonly queue: JobQueue;
  private readonly tasks: ReadonlyMap<string, TaskEntry>;
  private readonly schedules: ScheduledEntry[];
  private scheduler: Scheduler | undefined;
  private runner: TaskRunner | undefined;

  constructor(private readonly deps: JobsDeps) {
    this.tasks = taskTable(deps.plugins);
    this.schedules = scheduledEntries(deps.plugins);
    this.queue = new JobQueue(this.tasks);
  }

  /** A schedule of the kernel itself, keyed `kernel/<id>`; `perTenant` visits every active tenant. */
  addKernelJob(job: JobDeclaration): void {
    if (this.runner) throw new Error(`kernel job "${job.id}" added after the jobs service started`);
    const entry = scheduledEntry(KERNEL_OWNER, job);
    if (this.schedules.some((s) => s.key === entry.key)) {
      throw new PluginError('PLUGIN_DUPLICATE_JOB', `kernel job "${job.id}" is declared twice`, KERNEL_OWNER);
    }
    this.schedules.push(entry);
  }

  /** The schedules this kernel fires, as `<owner>/<jobId>`. */
  get scheduleKeys(): string[] {
    return this.schedules.map((s) => s.key);
  }

  /** The runner; `runDue()` on it works the queue off by hand when `worker` is off. */
  get worker(): TaskRunner {
    if (!this.runner) throw new Error('the jobs service has not started');
    return this.runner;
  }

  async start(host: PluginHost): Promise<void> {
    if (this.runner) return;
    const { knex, tenancy, logger, config } = this.deps;
    const log = logger.child({ component: 'jobs' });
    this.runner = new TaskRunner({ knex, host, tasks: this.tasks, logger: log, leaseMs: config.leaseMs }, config);
    if (config.worker) this.runner.start();
    if (config.scheduler) {
      this.scheduler = new Scheduler({ knex, host, tenancy, logger: log }, this.schedules);
      await this.scheduler.start();
    }
  }

  async stop(): Promise<void> {
    await this.scheduler?.stop();
    await this.runner?.stop();
  }
}
