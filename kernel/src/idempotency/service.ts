import type { FastifyReply } from 'fastify';
import type { Knex } from 'knex';
import { ProblemError } from '@markettina/sdk';
import { toProblem } from '../http/problem.js';
import { keyInUse, keyReused, REPLAYED_HEADER } from './problems.js';
import { findResponse, saveResponse, sweepExpired, tryLock, type KeyScope, type StoredProblem, type StoredResponse } from './store.js';

export interface IdempotencyConfig {
  /** How long a completed key replays its response. */
  ttlSeconds: number;
}

/** A request's key, read before validation. */
export interface IdempotencyClaim {
  scope: KeyScope;
  fingerprint: string;
}

/**
 * A client error that was recorded under the key: the transaction must commit (to keep the
 * record) before the error is sent, so it travels out of the transaction as a value.
 */
export class CommittedProblem {
  constructor(readonly problem: ProblemError) {}
}

/** Response headers that describe this exchange rather than the result, so they are not replayed. */
const PER_EXCHANGE = new Set(['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'set-cookie', REPLAYED_HEADER]);

export class IdempotencyService {
  constructor(
    private readonly knex: Knex,
    readonly config: IdempotencyConfig,
  ) {}

  /**
   * Runs `handler` at most once per key. Inside the request transaction `db`: a completed
   * key replays (or 422 for a different request); a key another transaction is running is
   * 409; otherwise the handler runs and its response is saved before `db` commits. A 5xx
   * saves nothing (the rollback frees the key); a client error the handler raised is
   * saved, its effects rolled back to a savepoint, and returned as a CommittedProblem.
   */
  async run(db: Knex.Transaction, claim: IdempotencyClaim, reply: FastifyReply, handler: () => Promise<unknown>): Promise<unknown> {
    // Lock first, then read: a statement after the lock sees every commit of an earlier
    // holder. Failing the lock means in flight, unless the key has completed meanwhile
    // (another request is only replaying it).
    const locked = await tryLock(db, claim.scope);
    const stored = await findResponse(db, claim.scope);
    if (stored) return replay(stored, claim, reply);
    if (!locked) throw keyInUse();

    await db.raw('savepoint idempotent_request');
    let payload: unknown;
    try {
      payload = await handler();
    } catch (err) {
      const problem = toProblem(err);
      if (problem.status >= 500) throw err;
      await db.raw('rollback to savepoint idempotent_request');
      const saved: StoredProblem = { status: problem.status, code: problem.code, title: problem.title, detail: problem.detail, extensions: problem.extensions, headers: problem.headers };
      await saveResponse(db, claim.scope, { fingerprint: claim.fingerprint, statusCode: problem.status, headers: {}, body: null, problem: saved }, this.config.ttlSeconds);
      return new CommittedProblem(problem);
    }
    // A handler that sent its own reply has nothing left to record; it behaves as without a key.
    if (reply.sent || payload === reply) return payload;
    const response = capture(reply, payload, claim.fingerprint);
    if (response.statusCode >= 500) return payload;
    await saveResponse(db, claim.scope, response, this.config.ttlSeconds);
    return response.body ?? undefined;
  }

  /** Deletes expired keys of every tenant; meant for a periodic cluster job. */
  sweep(batchSize?: number): Promise<number> {
    return sweepExpired(this.knex, batchSize);
  }
}

/**
 * Serialises the handler's payload the way fastify would (the route's response schema for
 * the status), so that the original response and every replay carry the same bytes.
 */
function capture(reply: FastifyReply, payload: unknown, fingerprint: string): StoredResponse {
  let body: Buffer | null = null;
  if (payload !== undefined) {
    if (Buffer.isBuffer(payload)) {
      if (!reply.hasHeader('content-type')) reply.type('application/octet-stream');
      body = payload;
    } else if (typeof payload === 'string') {
      if (!reply.hasHeader('content-type')) reply.type('text/plain; charset=utf-8');
      body = Buffer.from(payload, 'utf8');
    } else {
      if (!reply.hasHeader('content-type')) reply.type('application/json; charset=utf-8');
      const serialized = reply.serialize(payload);
      body = typeof serialized === 'string' ? Buffer.from(serialized, 'utf8') : Buffer.isBuffer(serialized) ? serialized : Buffer.from(new Uint8Array(serialized));
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && !PER_EXCHANGE.has(name.toLowerCase())) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return { fingerprint, statusCode: reply.statusCode, headers, body, problem: null };
}

function replay(stored: StoredResponse, claim: IdempotencyClaim, reply: FastifyReply): unknown {
  if (stored.fingerprint !== claim.fingerprint) throw keyReused();
  if (stored.problem) {
    const p = stored.problem;
    throw new ProblemError({ ...p, headers: { ...p.headers, [REPLAYED_HEADER]: 'true' } });
  }
  reply.code(stored.statusCode).headers(stored.headers).header(REPLAYED_HEADER, 'true');
  return stored.body ?? undefined;
}
