import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import type { Knex } from 'knex';
import { hasPermission, PluginError, ProblemError, problems, type AuthenticationPort, type Principal, type RoutePolicy } from '@markettina/sdk';
import { applyIdempotency, claimOf } from '../idempotency/route-policy.js';
import { CommittedProblem, type IdempotencyService } from '../idempotency/service.js';
import { enforceRouteLimit } from '../ratelimit/route-limit.js';
import type { RateLimitService } from '../ratelimit/service.js';
import type { PluginHost } from '../plugins/host.js';
import type { Registration } from '../plugins/registration.js';
import { inTransaction } from '../db/transaction.js';
import { accountInactive, tenantEntryOf, tenantEntryStatement, type TenantEntryRow } from '../tenancy/tenancy.js';
import { KERNEL_OWNER, KERNEL_PERMISSIONS } from './kernel-permissions.js';

export interface TenantRouteDeps {
  knex: Knex;
  host: PluginHost;
  authentication: () => AuthenticationPort | undefined;
  rateLimits: RateLimitService;
  idempotency: IdempotencyService;
  /** Permissions declared `platform: true`: held only by platform administrators. */
  platformPermissions?: ReadonlySet<string>;
}

const unknownAccount = () => problems.unauthorized('the account of this credential no longer exists', 'INVALID_CREDENTIALS');

const pluginNotEnabled = (pluginId: string) =>
  new ProblemError({ status: 404, code: 'PLUGIN_NOT_ENABLED', title: 'Not found', detail: `the "${pluginId}" plugin is not enabled for this account` });

/** Resolves `Authorization: Bearer <credential>` through the authentication port. */
function authenticate(deps: TenantRouteDeps): onRequestHookHandler {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw problems.unauthorized('send "Authorization: Bearer <api key or access token>"');
    const port = deps.authentication();
    if (!port) throw problems.unauthorized('no authentication provider is installed on this deployment', 'AUTH_PROVIDER_MISSING');
    const principal = await port.authenticate(match[1]!);
    if (!principal) throw problems.unauthorized('the credential is unknown, expired or revoked', 'INVALID_CREDENTIALS');
    request.principal = principal;
  };
}

/**
 * Whether `principal` may use `permission`. A platform permission acts on the whole
 * deployment, so no tenant principal holds it, not even through `*` or `kernel.*`.
 */
export function mayUse(principal: Principal | undefined, permission: string, platformPermissions: ReadonlySet<string>): boolean {
  if (!principal) return false;
  if (platformPermissions.has(permission) && principal.type !== 'admin') return false;
  return hasPermission(principal.permissions, permission);
}

function authorize(permission: string, platformPermissions: ReadonlySet<string>): preHandlerHookHandler {
  return async (request: FastifyRequest) => {
    if (!mayUse(request.principal, permission, platformPermissions)) {
      throw new ProblemError({ status: 403, code: 'PERMISSION_DENIED', title: 'Forbidden', detail: `this call needs the "${permission}" permission`, extensions: { permission } });
    }
  };
}

/** Boot-time checks of `rateLimit` and `idempotency`: mistakes name the plugin and the route. */
function checkLimitPolicy(config: RoutePolicy, where: string, pluginId: string, limits: RateLimitService) {
  if (config.auth === 'none' && (config.rateLimit || config.idempotency)) {
    throw new PluginError('PLUGIN_POLICY_NEEDS_AUTH', `plugin "${pluginId}": route ${where} is public (auth: "none"), but rate limits and idempotency keys are per tenant; remove config.rateLimit / config.idempotency`, pluginId);
  }
  if (config.rateLimit !== undefined && !limits.hasClass(config.rateLimit)) {
    throw new PluginError('PLUGIN_UNKNOWN_RATE_LIMIT_CLASS', `plugin "${pluginId}": route ${where} uses rate-limit class "${config.rateLimit}", which the deployment does not define; use a class from rateLimits.classes or add it there`, pluginId);
  }
  if (config.idempotency !== undefined && config.idempotency !== 'required' && config.idempotency !== 'optional') {
    throw new PluginError('PLUGIN_IDEMPOTENCY_INVALID', `plugin "${pluginId}": route ${where} has idempotency "${String(config.idempotency)}"; use "required" or "optional"`, pluginId);
  }
}

/**
 * Turns `reply.send(payload)` inside a tenant handler into a returned payload, so the
 * response still leaves only after the transaction commits (and idempotency records it).
 * Otherwise a client could act on an answer whose effects are not yet visible, or lost.
 */
function holdSends(reply: FastifyReply) {
  const { send, then } = reply;
  let held: { payload: unknown } | undefined;
  reply.send = function heldSend(payload?: unknown) {
    held ??= { payload };
    return reply;
  } as FastifyReply['send'];
  // A reply is a thenable that settles once the response is written; a handler that
  // returns (or awaits) it would wait forever for the response it is holding back.
  reply.then = function heldThen(fulfilled?: () => void) {
    fulfilled?.();
  } as FastifyReply['then'];
  return {
    /** The handler's answer: what it sent, else what it returned. */
    answer(returned: unknown): unknown {
      return held ? held.payload : returned;
    },
    release() {
      reply.send = send;
      reply.then = then;
    },
  };
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const kernelPermissions = new Set(KERNEL_PERMISSIONS.map((p) => p.id));

/**
 * Applies kernel policy to every route of one plugin: authentication, permission, rate
 * limit, idempotency, and a handler that runs inside a transaction bound to the caller's tenant. The handler's
 * return value is the response; the transaction commits before it is sent. The kernel's
 * own routes use owner `kernel`: they may require KERNEL_PERMISSIONS and need no plugin
 * enabled.
 */
export function applyTenantPolicy(app: FastifyInstance, reg: Pick<Registration, 'id'>, deps: TenantRouteDeps, permissions: Set<string>) {
  const isKernel = reg.id === KERNEL_OWNER;
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as RoutePolicy & Record<string, unknown>;
    const where = `${route.method} ${route.url}`;
    if (config.permission && !permissions.has(config.permission) && !(isKernel && kernelPermissions.has(config.permission))) {
      throw new PluginError('PLUGIN_UNDECLARED_PERMISSION', `plugin "${reg.id}": route ${where} uses permission "${config.permission}", which no plugin declares; add it to manifest.permissions`, reg.id);
    }
    checkLimitPolicy(config, where, reg.id, deps.rateLimits);
    route.schema = { ...route.schema, tags: route.schema?.tags ?? [reg.id] };
    if (config.idempotency) applyIdempotency(route, config.idempotency, deps.idempotency.config.ttlSeconds, reg.id);
    for (const method of asArray(route.method)) {
      deps.host.routes.push({ pluginId: reg.id, method, url: route.url, schema: route.schema as Record<string, unknown>, config });
    }
    const services = deps.host.contextFor(reg.id);
    route.onRequest = [...asArray(route.onRequest), async (request: FastifyRequest) => void (request.services = services)];
    if (config.auth === 'none') return;
    route.schema.security = [{ bearer: [] }];
    route.onRequest = [...asArray(route.onRequest), authenticate(deps)];
    if (config.permission) route.preHandler = [authorize(config.permission, deps.platformPermissions ?? new Set()), ...asArray(route.preHandler)];
    const handler = route.handler;
    route.handler = async function tenantHandler(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const principal = request.principal!;
      const claim = claimOf(request);
      const entering = tenantEntryStatement(principal.accountId, isKernel ? null : reg.id);
      if (!entering) throw unknownAccount();
      const sends = holdSends(reply);
      // The tenant is bound in the same round trip as BEGIN, before anything of the plugin runs.
      const outcome = await inTransaction(deps.knex, entering, async (db, entered) => {
        const entry = tenantEntryOf(principal.accountId, entered.rows as TenantEntryRow[]);
        if (!entry) throw unknownAccount();
        if (entry.status !== 'active') throw accountInactive(entry.status);
        if (!entry.pluginEnabled) throw pluginNotEnabled(reg.id);
        if (config.rateLimit) await enforceRouteLimit(deps.rateLimits, reply, entry.tenant, config.rateLimit);
        request.ctx = deps.host.requestContext(reg.id, { requestId: request.id, db, tenant: entry.tenant, principal });
        const run = async () => sends.answer(await handler.call(this, request, reply));
        return claim ? deps.idempotency.run(db, claim, reply, run) : run();
      }).finally(() => sends.release());
      if (outcome instanceof CommittedProblem) throw outcome.problem;
      return outcome;
    };
  });
}
