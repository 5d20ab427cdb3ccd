import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Knex } from 'knex';
import type { Logger as PinoLogger } from 'pino';
import { coreServices, KERNEL_API_VERSION, problemSchema, type AuthenticationPort } from '@markettina/sdk';
import type { KernelConfig } from '../config/types.js';
import type { PluginHost } from '../plugins/host.js';
import type { IdempotencyService } from '../idempotency/service.js';
import type { RateLimitService } from '../ratelimit/service.js';
import { declaredPermissions } from '../plugins/validate.js';
import { platformPermissions } from '../plugins/catalog.js';
import { registerMetrics } from './metrics.js';
import { sendProblem, toProblem } from './problem.js';
import { applyTenantPolicy } from './tenant-routes.js';
import { KERNEL_OWNER } from './kernel-permissions.js';
import { registerHealth } from './health.js';
import { registerFlagRoutes } from '../flags/index.js';
import type { FlagService } from '../flags/service.js';
import { installValidators } from './validation.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface HttpDeps {
  config: KernelConfig;
  logger: PinoLogger;
  knex: Knex;
  host: PluginHost;
  flags: FlagService;
  /** The kernel's own tenant routes (e.g. `GET /v1/jobs/{id}`), mounted under `/v1` with owner `kernel`. */
  kernelRoutes?: FastifyPluginAsync[];
  rateLimits: RateLimitService;
  idempotency: IdempotencyService;
}

export async function createHttpServer({ config, logger, knex, host, flags, rateLimits, idempotency, kernelRoutes = [] }: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as unknown as FastifyBaseLogger,
    trustProxy: config.server.trustProxy,
    bodyLimit: config.server.bodyLimit,
    requestIdHeader: false,
    frameworkErrors: (error, request, reply) => sendProblem(request, reply, toProblem(error)),
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
  });
  app.decorateRequest('principal', undefined);
  app.decorateRequest('ctx', null as never);
  app.decorateRequest('services', null as never);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.debug({ code: problem.code }, 'client error');
    return sendProblem(request, reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, toProblem(Object.assign(new Error(`no route ${request.method} ${request.url}`), { statusCode: 404, code: 'ROUTE_NOT_FOUND' }))),
  );
  app.addSchema(problemSchema);
  installValidators(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Markettina API', version: KERNEL_API_VERSION, description: 'Every error is RFC 9457 problem+json with a stable `code`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key or access token' } } },
      tags: host.plugins.map((p) => ({ name: p.id, description: p.manifest.description ?? '' })),
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { url: '/openapi.json' }, staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerMetrics(app, knex);
  registerHealth(app, knex);

  const permissions = declaredPermissions(host.plugins);
  // Resolved on the first request (the providing plugin's singleton), then reused.
  let authPort: AuthenticationPort | undefined;
  const authentication = () => (host.has(coreServices.authentication) ? (authPort ??= host.contextFor('kernel').get(coreServices.authentication)) : undefined);
  const policyDeps = { knex, host, authentication, rateLimits, idempotency, platformPermissions: platformPermissions(host.plugins) };
  for (const reg of host.plugins) {
    if (reg.routes.length === 0) continue;
    await app.register(
      async (scope) => {
        applyTenantPolicy(scope, reg, policyDeps, permissions);
        for (const routes of reg.routes) await scope.register(routes);
      },
      { prefix: `/v1/${reg.id}` },
    );
  }
  if (kernelRoutes.length > 0) {
    await app.register(
      async (scope) => {
        applyTenantPolicy(scope, { id: KERNEL_OWNER }, policyDeps, permissions);
        for (const routes of kernelRoutes) await scope.register(routes);
      },
      { prefix: '/v1' },
    );
  }
  await registerFlagRoutes(app, {
    knex,
    flags,
    owners: new Set([KERNEL_OWNER, ...host.plugins.map((p) => p.id)]),
    policy: (scope) => applyTenantPolicy(scope, { id: KERNEL_OWNER }, policyDeps, permissions),
  });
  return app;
}
