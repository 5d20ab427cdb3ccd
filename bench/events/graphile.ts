import { Logger, run, type Runner } from 'graphile-worker';
import pg from 'pg';
import { drive, type RunResult, type Sink, type Workload } from './workload.js';

const silent = new Logger(() => () => undefined);

/**
 * The baseline: graphile-worker on the same PostgreSQL, a trivial task, jobs added with
 * `graphile_worker.add_job` each in its own transaction.
 */
export class GraphileBaseline {
  private runner: Runner | undefined;
  private sink: Sink | undefined;
  private readonly pool: pg.Pool;

  constructor(
    private readonly url: string,
    private readonly concurrency: number,
    publishers: number,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: publishers });
  }

  async start(): Promise<void> {
    this.runner = await run({
      connectionString: this.url,
      concurrency: this.concurrency,
      noHandleSignals: true,
      logger: silent,
      taskList: {
        noop: async (payload) => {
          this.sink?.received((payload as { sentAt: number }).sentAt);
        },
      },
    });
  }

  run(workload: Workload): Promise<RunResult> {
    return drive(
      workload,
      async (sentAt) => {
        const client = await this.pool.connect();
        try {
          await client.query('begin');
          await client.query('select graphile_worker.add_job($1, $2::json)', ['noop', JSON.stringify({ sentAt })]);
          await client.query('commit');
        } finally {
          client.release();
        }
      },
      { attach: (s) => (this.sink = s) },
    );
  }

  /** Jobs still in the queue (0 once every job completed). */
  async backlog(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('select count(*)::int as n from graphile_worker.jobs');
    return rows[0]!.n;
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    await this.pool.end();
  }
}
