import type { Knex } from 'knex';

/** Whose key it is: keys of different tenants or principals never meet. */
export interface KeyScope {
  accountId: string;
  principalId: string;
  key: string;
}

export interface StoredProblem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  extensions: Record<string, unknown>;
  headers: Record<string, string>;
}

export interface StoredResponse {
  fingerprint: string;
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer | null;
  problem: StoredProblem | null;
}

interface Row {
  fingerprint: string;
  status_code: number;
  headers: Record<string, string>;
  body: Buffer | null;
  problem: StoredProblem | null;
}

/** The completed, unexpired response for `scope`, as committed so far. */
export async function findResponse(db: Knex.Transaction, scope: KeyScope): Promise<StoredResponse | undefined> {
  const row: Row | undefined = await db('idempotency_keys')
    .select('fingerprint', 'status_code', 'headers', 'body', 'problem')
    .where({ account_id: scope.accountId, principal_id: scope.principalId, key: scope.key })
    .andWhereRaw('expires_at > now()')
    .first();
  return row && { fingerprint: row.fingerprint, statusCode: row.status_code, headers: row.headers, body: row.body, problem: row.problem };
}

/**
 * Marks `scope` in flight for the rest of the transaction; false when another transaction
 * holds it. The lock goes away with the transaction, so a crashed request never leaves a
 * key stuck. Keys hash into the two-integer advisory lock space under their own class id;
 * two keys colliding while both are in flight cost one spurious 409, nothing more.
 */
export async function tryLock(db: Knex.Transaction, scope: KeyScope): Promise<boolean> {
  const { rows } = await db.raw<{ rows: { locked: boolean }[] }>(
    "select pg_try_advisory_xact_lock(hashtext('markettina.idempotency'), hashtext(? || '/' || ? || '/' || ?)) as locked",
    [scope.accountId, scope.principalId, scope.key],
  );
  return rows[0]!.locked;
}

/** Records the response; an expired row under the same key is replaced. */
export async function saveResponse(db: Knex.Transaction, scope: KeyScope, response: StoredResponse, ttlSeconds: number): Promise<void> {
  await db('idempotency_keys')
    .insert({
      account_id: scope.accountId,
      principal_id: scope.principalId,
      key: scope.key,
      fingerprint: response.fingerprint,
      status_code: response.statusCode,
      headers: response.headers,
      body: response.body,
      problem: response.problem,
      created_at: db.raw('now()'),
      expires_at: db.raw("now() + make_interval(secs => ?)", [ttlSeconds]),
    })
    .onConflict(['account_id', 'principal_id', 'key'])
    .merge();
}

/** Deletes expired keys of every tenant, in batches; returns how many. */
export async function sweepExpired(knex: Knex, batchSize = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await knex.raw<{ rows: { n: number }[] }>('select kernel_sweep_idempotency_keys(?) as n', [batchSize]);
    total += rows[0]!.n;
    if (rows[0]!.n < batchSize) return total;
  }
}
