import knexFactory, { type Knex } from 'knex';
import type { GcraRule } from './gcra.js';
import type { RateLimitStore, TakeResult } from './store.js';

/**
 * Budgets in PostgreSQL, shared by every node (see `kernel_rate_limit_take`). Steps run on
 * a small pool of their own, each as one autocommit statement: a request already holding
 * a transaction connection must never wait for a second connection from the same pool,
 * and a budget's row lock must not be held for the length of a request.
 */
export class PostgresRateLimitStore implements RateLimitStore {
  private readonly knex: Knex;

  constructor(appUrl: string, poolSize: number) {
    this.knex = knexFactory({ client: 'pg', connection: appUrl, pool: { min: 0, max: poolSize } });
  }

  async take(accountId: string, bucket: string, rule: GcraRule, cost: number): Promise<TakeResult> {
    const { rows } = await this.knex.raw<{ rows: { allowed: boolean; tat_ms: number; now_ms: number }[] }>(
      'select * from kernel_rate_limit_take(?, ?, ?, ?, ?)',
      [accountId, bucket, rule.intervalMs, rule.burst, cost],
    );
    const row = rows[0]!;
    return { allowed: row.allowed, tatMs: row.tat_ms, nowMs: row.now_ms };
  }

  async sweep(): Promise<number> {
    const { rows } = await this.knex.raw<{ rows: { n: number }[] }>('select kernel_sweep_rate_limits() as n');
    return rows[0]!.n;
  }

  async close(): Promise<void> {
    await this.knex.destroy();
  }
}
