import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isProblemError, ProblemError } from '@markettina/sdk';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export const problemType = (code: string) => `urn:markettina:problem:${code.toLowerCase().replaceAll('_', '-')}`;

/** Fastify's own client errors, by code, mapped to our stable codes. */
const FASTIFY_CODES: Record<string, { status: number; code: string; title: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported media type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_CONTENT_LENGTH', title: 'Invalid Content-Length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'EMPTY_JSON_BODY', title: 'Empty JSON body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', title: 'Malformed JSON body' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE', title: 'Request body too large' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported media type' },
  FST_ERR_BAD_URL: { status: 400, code: 'BAD_URL', title: 'Malformed URL' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'PATH_PARAMETER_TOO_LONG', title: 'Path parameter too long' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'BAD_REQUEST', title: 'Bad request' },
};

/** PostgreSQL errors that mean the client sent something the data cannot hold. */
const PG_CODES: Record<string, { status: number; code: string; title: string }> = {
  '23505': { status: 409, code: 'ALREADY_EXISTS', title: 'Already exists' },
  '23503': { status: 409, code: 'REFERENCE_CONFLICT', title: 'Referenced resource missing or still in use' },
  '23514': { status: 422, code: 'CONSTRAINT_VIOLATED', title: 'Constraint violated' },
  '22P02': { status: 400, code: 'INVALID_VALUE', title: 'Invalid value' },
  '22001': { status: 400, code: 'VALUE_TOO_LONG', title: 'Value too long' },
  '22003': { status: 400, code: 'NUMBER_OUT_OF_RANGE', title: 'Number out of range' },
  '22007': { status: 400, code: 'INVALID_DATETIME', title: 'Invalid date or time' },
  '22008': { status: 400, code: 'INVALID_DATETIME', title: 'Date or time out of range' },
};

/** Maps any thrown value to a ProblemError; unknown errors become an opaque 500. */
export function toProblem(error: unknown): ProblemError {
  if (isProblemError(error)) return error;
  const err = error as FastifyError & { code?: string; validation?: unknown[]; validationContext?: string };
  if (err?.validation) {
    return new ProblemError({
      status: 400,
      code: 'VALIDATION_FAILED',
      title: 'Request does not match the schema',
      detail: err.message,
      extensions: { errors: err.validation.map((v) => pickValidation(v, err.validationContext)) },
    });
  }
  const known = err?.code ? FASTIFY_CODES[err.code] ?? PG_CODES[err.code] : undefined;
  if (known) return new ProblemError({ ...known, detail: err.code in PG_CODES ? (err as { detail?: string }).detail ?? known.title : err.message });
  if (err instanceof SyntaxError && (err as { statusCode?: number }).statusCode === 400) {
    return new ProblemError({ status: 400, code: 'MALFORMED_JSON', title: 'Malformed JSON body', detail: err.message });
  }
  const status = err?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ProblemError({ status, code: err.code?.replace(/^FST_ERR_/, '') ?? 'BAD_REQUEST', title: 'Bad request', detail: err.message });
  }
  return new ProblemError({ status: 500, code: 'INTERNAL', title: 'Internal server error', detail: 'an unexpected error occurred; quote the request id when reporting it' });
}

function pickValidation(v: unknown, context?: string) {
  const e = v as { instancePath?: string; message?: string; keyword?: string; params?: unknown };
  return { in: context, path: e.instancePath ?? '', message: e.message ?? 'is invalid', keyword: e.keyword };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemError) {
  for (const [k, v] of Object.entries(problem.headers)) reply.header(k, v);
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    // Extensions first: one named like a standard member (`status`, `type`) must not
    // override it, or the body would contradict the response (or fail to serialize).
    .send({
      ...problem.extensions,
      type: problemType(problem.code),
      title: problem.title,
      status: problem.status,
      ...(problem.detail ? { detail: problem.detail } : {}),
      instance: request.url,
      code: problem.code,
      requestId: request.id,
    });
}
