import type { FastifyRequest, preValidationHookHandler, RouteOptions } from 'fastify';
import { PluginError } from '@markettina/sdk';
import { parseIdempotencyKey, requestFingerprint, MAX_KEY_LENGTH } from './key.js';
import { keyInvalid, keyMissing, REPLAYED_HEADER } from './problems.js';
import type { IdempotencyClaim } from './service.js';

const claims = new WeakMap<FastifyRequest, IdempotencyClaim>();

/** The key of a request to an idempotent route, if it sent one. */
export const claimOf = (request: FastifyRequest): IdempotencyClaim | undefined => claims.get(request);

const hours = (seconds: number) => (seconds % 3600 === 0 ? `${seconds / 3600} hours` : `${seconds} seconds`);

/**
 * Applies `config.idempotency` to a route at registration: documents the header and the
 * expiry policy in the OpenAPI document (the draft asks servers to publish both), and
 * reads the key before validation so a missing or malformed key is its own 400.
 */
export function applyIdempotency(route: RouteOptions, mode: 'required' | 'optional', ttlSeconds: number, pluginId: string): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.some((m) => m === 'GET' || m === 'HEAD')) {
    throw new PluginError('PLUGIN_IDEMPOTENCY_ON_SAFE_METHOD', `plugin "${pluginId}": route ${methods.join(',')} ${route.url} declares idempotency, which only applies to unsafe methods such as POST or PATCH; remove config.idempotency`, pluginId);
  }
  const description =
    `Makes the request safe to retry: a retry with the same key and the same request gets the first response again, marked \`Idempotent-Replayed: true\`, without repeating its effects. ` +
    `Keys are scoped to the account and the caller and expire ${hours(ttlSeconds)} after the request completed. ` +
    `Reusing a key for a different request is 422, retrying while the first is still in flight is 409; a request that fails with 5xx does not use up its key. ` +
    `Send a structured-field string of 1 to ${MAX_KEY_LENGTH} characters, e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324".`;
  // Lower case: header names arrive lower-cased, and a custom validator compiler sees the schema as written.
  const headers = (route.schema?.headers ?? { type: 'object', properties: {} }) as { properties?: Record<string, unknown>; required?: string[] };
  route.schema = {
    ...route.schema,
    headers: {
      ...headers,
      properties: { ...headers.properties, 'idempotency-key': { type: 'string', description } },
      ...(mode === 'required' ? { required: [...(headers.required ?? []), 'idempotency-key'] } : {}),
    },
    'x-idempotency': { header: 'Idempotency-Key', required: mode === 'required', ttlSeconds, scope: ['account', 'principal'], fingerprint: ['method', 'path', 'body'], replayHeader: REPLAYED_HEADER },
  } as RouteOptions['schema'];
  const hooks = route.preValidation === undefined ? [] : Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation];
  route.preValidation = [readKey(mode), ...hooks];
}

function readKey(mode: 'required' | 'optional'): preValidationHookHandler {
  return async (request: FastifyRequest) => {
    const parsed = parseIdempotencyKey(request.headers['idempotency-key']);
    if (!parsed) {
      if (mode === 'required') throw keyMissing();
      return;
    }
    if ('error' in parsed) throw keyInvalid(parsed.error);
    const principal = request.principal!;
    claims.set(request, {
      scope: { accountId: principal.accountId, principalId: principal.id, key: parsed.key },
      fingerprint: requestFingerprint(request.method, request.url, request.body),
    });
  };
}
