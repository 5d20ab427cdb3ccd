import pg from 'pg';

export interface Progress {
  published: number;
  /** failed, unconfirmed or cancelled: will not be published. */
  dead: number;
  retrying: number;
  /** Latest `published_at`, epoch ms (database clock). */
  lastPublishedAt: number | null;
  firstPublishedAt: number | null;
}

/**
 * Reads the bench database from outside the kernel, as the superuser (no RLS, no tenant):
 * moving the due instant, progress of a run, and PostgreSQL's own counters.
 */
export class Observer {
  private constructor(private readonly client: pg.Client) {}

  /** `superuserUrl` of the cluster, pointed at the database `databaseUrl` names. */
  static async open(superuserUrl: string, databaseUrl: string): Promise<Observer> {
    const url = new URL(superuserUrl);
    url.pathname = new URL(databaseUrl).pathname;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    return new Observer(client);
  }

  /**
   * Moves scheduled publications to one due instant, the update `socialPublisher.reschedule`
   * makes, for all of them in one statement (setup, not measured).
   */
  async moveDue(ids: string[], dueAt: Date): Promise<number> {
    const r = await this.client.query(`update social_publications set due_at = $1, next_attempt_at = $1, updated_at = now() where id = any($2::uuid[]) and status = 'scheduled'`, [dueAt, ids]);
    return r.rowCount ?? 0;
  }

  async progress(sourcePrefix: string): Promise<Progress> {
    const { rows } = await this.client.query<{ published: number; dead: number; retrying: number; last: number | null; first: number | null }>(
      `select count(*) filter (where status = 'published')::int as published,
              count(*) filter (where status in ('failed', 'unconfirmed', 'cancelled'))::int as dead,
              count(*) filter (where status = 'retrying')::int as retrying,
              (extract(epoch from max(published_at)) * 1000)::float8 as last,
              (extract(epoch from min(published_at)) * 1000)::float8 as first
         from social_publications where source_plugin = 'bench-publish' and source_id like $1`,
      [`${sourcePrefix}-%`],
    );
    const r = rows[0]!;
    return { published: r.published, dead: r.dead, retrying: r.retrying, lastPublishedAt: r.last, firstPublishedAt: r.first };
  }

  /** What became of the run's publications that are not published, by status and failure code. */
  async unpublished(sourcePrefix: string): Promise<string[]> {
    const { rows } = await this.client.query<{ status: string; code: string | null; n: number }>(
      `select status, failure_code as code, count(*)::int as n from social_publications
        where source_plugin = 'bench-publish' and source_id like $1 and status <> 'published'
        group by 1, 2 order by 3 desc`,
      [`${sourcePrefix}-%`],
    );
    return rows.map((r) => `${r.n} ${r.status}${r.code ? ` (${r.code})` : ''}`);
  }

  /**
   * Rows of `social_publications` updated so far, from the statistics PostgreSQL keeps
   * (a backend reports at most every second while busy, within about 10 s once idle).
   */
  async updates(): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(`select n_tup_upd::text as n from pg_stat_user_tables where relname = 'social_publications'`);
    return Number(rows[0]?.n ?? 0);
  }

  /** Makes every session count calls and time of SQL functions (pg_stat_user_functions); the cluster is the bench's own. */
  async trackFunctions(): Promise<void> {
    await this.client.query(`alter system set track_functions = 'all'`);
    await this.client.query('select pg_reload_conf()');
  }

  /** Calls of the claim function so far and their total time (ms), reported like `updates()`. */
  async claimCalls(): Promise<{ calls: number; ms: number }> {
    const { rows } = await this.client.query<{ calls: string; ms: number }>(
      `select coalesce(sum(calls), 0)::text as calls, coalesce(sum(total_time), 0)::float8 as ms from pg_stat_user_functions where funcname = 'social_claim_publications'`,
    );
    return { calls: Number(rows[0]!.calls), ms: rows[0]!.ms };
  }

  /** Event deliveries not yet handled (PostPublished to its subscribers). */
  async undelivered(): Promise<number> {
    const { rows } = await this.client.query<{ n: number }>(`select count(*)::int as n from event_deliveries where state = 'pending'`);
    return rows[0]!.n;
  }

  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.client.query<R>(sql, params)).rows;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/**
 * Samples what the kernel's database sessions are doing while a run goes on (pg_stat_activity
 * every `everyMs`): running, waiting (on what), or idle inside a transaction. Shows whether
 * publications wait on the database, on commits, or on locks.
 */
export class WaitSampler {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private running = false;
  private loop: Promise<void> | undefined;

  private constructor(private readonly client: pg.Client) {}

  static async open(superuserUrl: string, databaseUrl: string): Promise<WaitSampler> {
    const url = new URL(superuserUrl);
    url.pathname = new URL(databaseUrl).pathname;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    return new WaitSampler(client);
  }

  start(everyMs = 100): void {
    this.counts.clear();
    this.samples = 0;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const { rows } = await this.client.query<{ what: string; n: number }>(
          `select case when state = 'active' then coalesce(wait_event_type || ':' || wait_event, 'running')
                       else state end as what, count(*)::int as n
             from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
            group by 1`,
        );
        this.samples++;
        for (const r of rows) this.counts.set(r.what, (this.counts.get(r.what) ?? 0) + r.n);
        await new Promise((r) => setTimeout(r, everyMs));
      }
    })();
  }

  /** Average number of sessions in each state over the samples, busiest first. */
  async stop(): Promise<[string, number][]> {
    this.running = false;
    await this.loop;
    return [...this.counts].map(([k, n]): [string, number] => [k, n / Math.max(1, this.samples)]).sort((a, b) => b[1] - a[1]);
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
