import { claimJobs } from './claim.js';
import { executeClaim, type ExecuteDeps } from './execute.js';

export interface RunnerOptions {
  pollIntervalMs: number;
  concurrency: number;
}

/**
 * Polls the durable job table and runs what it claims, up to `concurrency` at a time.
 * Polling is the guarantee; a finished job wakes the loop early so a backlog drains fast.
 */
export class TaskRunner {
  private readonly active = new Set<Promise<unknown>>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly deps: ExecuteDeps,
    private readonly options: RunnerOptions,
  ) {}

  private get types(): string[] {
    return [...this.deps.tasks.keys()];
  }

  start(): void {
    if (this.running || this.types.length === 0) return;
    this.running = true;
    this.loop = this.poll();
  }

  /** Stops claiming and waits for the jobs in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.active]);
  }

  /** Runs due jobs one by one until none is left; for tests and tools that run with the loop off. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const [claim] = await claimJobs(this.deps.knex, this.types, 1, this.deps.leaseMs);
      if (!claim) return ran;
      await executeClaim(this.deps, claim);
      ran++;
    }
  }

  private async poll(): Promise<void> {
    while (this.running) {
      const free = this.options.concurrency - this.active.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const claims = await claimJobs(this.deps.knex, this.types, free, this.deps.leaseMs);
          claimed = claims.length;
          for (const claim of claims) this.track(executeClaim(this.deps, claim));
        } catch (err) {
          this.deps.logger.error({ err }, 'claiming jobs failed');
        }
      }
      if (this.running && (free === 0 || claimed < free)) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private track(run: Promise<unknown>): void {
    const tracked = run
      .catch((err: unknown) => this.deps.logger.error({ err }, 'recording a job outcome failed'))
      .finally(() => {
        this.active.delete(tracked);
        this.wake?.();
      });
    this.active.add(tracked);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
