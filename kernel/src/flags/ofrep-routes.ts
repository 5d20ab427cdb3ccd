import { createHash } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError, type FlagEvaluation, type FlagValue } from '@markettina/sdk';
import { sendProblem, toProblem } from '../http/problem.js';
import { ofrepBulk, ofrepEvaluation, ofrepKeyParams, ofrepRequest } from './schemas.js';
import type { FlagService } from './service.js';

/**
 * OFREP, the OpenFeature Remote Evaluation Protocol, under `/ofrep/v1`. The tenant is the
 * caller's account; a context naming another tenant is refused. Errors are problem+json
 * that also carry OFREP's `errorCode` and `errorDetails`, so both kinds of client read them.
 */

const config = { permission: 'kernel.flags:evaluate' };
const tags = ['ofrep'];

interface OfrepBody {
  context?: { targetingKey?: string };
}

const ofrepProblem = (status: number, code: string, title: string, errorDetails: string, key?: string) =>
  new ProblemError({ status, code, title, detail: errorDetails, extensions: { ...(key ? { key } : {}), errorCode: code, errorDetails } });

/** What OFREP says for a request it cannot use: unparseable JSON or a context of the wrong shape. */
export function ofrepErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const key = (request.params as { key?: string } | undefined)?.key;
  let problem = toProblem(error);
  if (problem.code === 'MALFORMED_JSON' || problem.code === 'EMPTY_JSON_BODY') {
    problem = ofrepProblem(400, 'PARSE_ERROR', 'Malformed request body', problem.detail ?? 'the body is not valid JSON', key);
  } else if (problem.code === 'VALIDATION_FAILED') {
    problem = ofrepProblem(400, 'INVALID_CONTEXT', 'Invalid evaluation context', problem.detail ?? 'the request does not match the schema', key);
  } else if (problem.status >= 500) {
    request.log.error({ err: error }, 'request failed');
  }
  return sendProblem(request, reply, problem);
}

function assertOwnTenant(body: OfrepBody | undefined, accountId: string) {
  const targetingKey = body?.context?.targetingKey;
  if (targetingKey !== undefined && targetingKey !== accountId) {
    throw new ProblemError({
      status: 403,
      code: 'TARGETING_KEY_FORBIDDEN',
      title: 'Forbidden',
      detail: 'targetingKey must be your own account id (or be left out); flags cannot be evaluated for another tenant',
      extensions: { errorCode: 'INVALID_CONTEXT', errorDetails: 'targetingKey names another tenant' },
    });
  }
}

function toOfrep(result: FlagEvaluation<FlagValue | undefined>, owner: string | undefined) {
  const metadata: Record<string, string> = {};
  if (owner) metadata.owner = owner;
  // An evaluation error still answers a value (the flag's default); the cause rides in metadata.
  if (result.errorCode) Object.assign(metadata, { errorCode: result.errorCode, errorDetails: result.errorMessage ?? '' });
  return { key: result.key, value: result.value, reason: result.reason, ...(result.variant ? { variant: result.variant } : {}), metadata };
}

/** A strong validator over the evaluated flags: equal results give equal ETags on every node. */
const etagOf = (body: unknown) => `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

export function ofrepRoutes(flags: FlagService): FastifyPluginAsync {
  return async (app) => {
    // OFREP clients may post without a body; that is an empty context.
    app.addHook('preValidation', async (request) => {
      if (request.body === undefined || request.body === null) request.body = {};
    });

    app.post(
      '/evaluate/flags/:key',
      {
        config,
        schema: { tags, summary: 'OFREP: evaluate one flag for your account', params: ofrepKeyParams, body: ofrepRequest, response: { 200: ofrepEvaluation } },
      },
      async (req) => {
        assertOwnTenant(req.body as OfrepBody, req.ctx.tenant.accountId);
        const { key } = req.params as { key: string };
        const result = await flags.evaluateFor(key, req.ctx, undefined);
        if (result.errorCode === 'FLAG_NOT_FOUND') throw ofrepProblem(404, 'FLAG_NOT_FOUND', 'Flag not found', `no flag "${key}" is defined`, key);
        return toOfrep(result, flags.definition(key)?.owner);
      },
    );

    app.post(
      '/evaluate/flags',
      {
        config,
        schema: {
          tags,
          summary: 'OFREP: evaluate every flag for your account',
          description: 'Send the ETag back in `If-None-Match` to get 304 while nothing changed.',
          headers: { type: 'object', properties: { 'if-none-match': { type: 'string', maxLength: 1024 } } },
          body: ofrepRequest,
          response: { 200: ofrepBulk, 304: { type: 'null', description: 'Not modified' } },
        },
      },
      async (req, reply) => {
        assertOwnTenant(req.body as OfrepBody, req.ctx.tenant.accountId);
        const results = await flags.evaluateAll(req.ctx);
        const body = { flags: results.map((r) => toOfrep(r, flags.definition(r.key)?.owner)) };
        const etag = etagOf(body);
        reply.header('etag', etag);
        if (matches(req.headers['if-none-match'], etag)) return reply.code(304).send();
        return body;
      },
    );
  };
}
