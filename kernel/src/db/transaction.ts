import type { Knex } from 'knex';
import type pg from 'pg';
import { bindTransaction, type OpenTransaction } from './bound-transaction.js';

/**
 * Runs `fn` in a transaction on one pooled connection: BEGIN and `opening` (a statement the
 * kernel builds, e.g. binding the tenant) go to the server in a single round trip, `fn` gets
 * a Knex.Transaction on that connection plus the opening statement's result, and COMMIT
 * follows when `fn` resolves, ROLLBACK when it throws. Queries through `db` after that are
 * refused. Compared with `knex.transaction()` this saves a round trip and knex's
 * per-transaction object graph, which dominated the cost of a request.
 */
export async function inTransaction<T>(knex: Knex, opening: string, fn: (db: Knex.Transaction, opened: pg.QueryResult) => Promise<T>): Promise<T> {
  const connection = (await knex.client.acquireConnection()) as pg.Client;
  const open: OpenTransaction = { connection, done: false };
  try {
    let result: T;
    try {
      const results = (await connection.query(`BEGIN; ${opening}`)) as unknown as pg.QueryResult[];
      result = await fn(bindTransaction(knex, open), results[results.length - 1]!);
    } catch (err) {
      open.done = true;
      // If the connection itself failed, ROLLBACK fails too; knex's pool drops such a
      // connection when it is next acquired, and the caller should see the first error.
      await connection.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    open.done = true;
    await connection.query('COMMIT');
    return result;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
