import { ProblemError } from '@markettina/sdk';

/** Set on a response that repeats a stored one. */
export const REPLAYED_HEADER = 'idempotent-replayed';

export const keyMissing = () =>
  new ProblemError({ status: 400, code: 'IDEMPOTENCY_KEY_MISSING', title: 'Idempotency-Key is missing', detail: 'this operation requires an Idempotency-Key header, e.g. Idempotency-Key: "<a new UUID>"; reuse it only to retry the same request' });

export const keyInvalid = (detail: string) => new ProblemError({ status: 400, code: 'IDEMPOTENCY_KEY_INVALID', title: 'Idempotency-Key is invalid', detail });

export const keyReused = () =>
  new ProblemError({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED', title: 'Idempotency-Key is already used', detail: 'this Idempotency-Key was used for a different request (method, path or body); send a new key for a new request' });

export const keyInUse = () =>
  new ProblemError({ status: 409, code: 'IDEMPOTENCY_KEY_IN_USE', title: 'A request is outstanding for this Idempotency-Key', detail: 'a request with this Idempotency-Key is still being processed; retry the same request shortly to get its result', headers: { 'retry-after': '1' } });
