import type { FastifyRequest } from 'fastify';
import { isProblemError } from '@markettina/sdk';
import { services } from './context.js';

interface Action {
  action: string;
  targetAccount?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Runs an administrator's action and records it in the admin audit log: a success in the
 * request's transaction (it commits with the change), a failure in a transaction of its
 * own (the request's rolls back).
 */
export async function audited<T>(req: FastifyRequest, what: Action, run: () => Promise<T>, outcome?: (result: T) => Partial<Action>): Promise<T> {
  const { audit } = services(req);
  const entry = { adminId: req.principal!.id, requestId: req.id, ...what };
  let result: T;
  try {
    result = await run();
  } catch (err) {
    await audit.recordAlone({ ...entry, outcome: 'failure', details: { ...what.details, code: isProblemError(err) ? err.code : 'INTERNAL' } });
    throw err;
  }
  await audit.record(req.ctx.db, { ...entry, ...outcome?.(result), outcome: 'success' });
  return result;
}
