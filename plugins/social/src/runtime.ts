import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import {
  addressProblem,
  coreServices,
  createConnectorContext,
  createOutboundAgent,
  createServiceRef,
  PluginError,
  problems,
  ProblemError,
  type ConnectedAccountRef,
  type Connector,
  type ConnectorContext,
  type ConnectorCredentials,
  type BlobStore,
  type EventBus,
  type Logger,
  OutboundRefused,
  type OAuthClient,
  type OutboundPolicy,
  type RateLimiter,
  type SecretBox,
  type ServiceContext,
  type TenancyService,
} from '@markettina/sdk';
import type { Knex } from 'knex';
import { socialConnectors } from './contracts.js';
import type { SocialConfig } from './config.js';
import type { PublishingPolicy } from './domain/publication-state.js';

/** What routes, services and the refresh job share: installed connectors and how to call them. */
export interface SocialRuntime {
  readonly config: SocialConfig;
  readonly connectors: ReadonlyMap<string, Connector>;
  readonly secrets: SecretBox;
  readonly events: EventBus;
  readonly tenancy: TenancyService;
  readonly logger: Logger;
  /** This node, as lease owners name it: host, process and a random suffix (two kernels in one process differ). */
  readonly nodeId: string;
  readonly publishing: PublishingPolicy;
  /** The kernel's blob store, resolved on first use: drafts without media never need it. */
  blobs(): BlobStore;
  /** Refuses, before any call, an origin this deployment may not reach (plain http, private address literal). */
  checkOrigin(origin: string): void;
  /**
   * The connector, if installed and its plugin is enabled for the tenant `db` is bound to;
   * otherwise a 404 problem. Installing a connector does not make it every tenant's.
   */
  connector(db: Knex.Transaction, id: string): Promise<Connector>;
  /** Whether the tenant `db` is bound to may use connector `id`. */
  isConnectorEnabled(db: Knex.Transaction, id: string): Promise<boolean>;
  /** A connector context for one tenant and (possibly not yet connected) account. */
  context(o: { tenantId: string; connector: Connector; origin: string; account?: ConnectedAccountRef; credentials?: ConnectorCredentials; client?: OAuthClient }): ConnectorContext;
}

export const socialRuntimeRef = createServiceRef<SocialRuntime>({ id: 'social.runtime' });

export function createSocialRuntime(ctx: ServiceContext): SocialRuntime {
  const config = ctx.config as unknown as SocialConfig;
  const connectors = new Map<string, Connector>();
  const owners = new Map<string, string>();
  for (const { pluginId, value: c } of ctx.contributions(socialConnectors)) {
    if (connectors.has(c.id)) throw new PluginError('SOCIAL_DUPLICATE_CONNECTOR', `two installed plugins contribute a connector with id "${c.id}"; install only one of them`, 'social');
    connectors.set(c.id, c);
    owners.set(c.id, pluginId);
  }
  const tenancy = ctx.get(coreServices.tenancy);
  const isConnectorEnabled = async (db: Knex.Transaction, id: string) => {
    const owner = owners.get(id);
    return owner !== undefined && (owner === ctx.pluginId || (await tenancy.isEnabledIn(db, owner)));
  };
  const policy: OutboundPolicy = { allowLoopback: config.network.allowLoopback, allowPrivate: config.network.allowPrivateNetworks, allowPlainHttp: config.network.allowPlainHttp };
  const agent = createOutboundAgent(policy, config.timeouts);
  const limiter: RateLimiter = ctx.get(coreServices.rateLimits);
  const p = config.publishing;
  let blobs: BlobStore | undefined;
  return {
    config,
    connectors,
    secrets: ctx.get(coreServices.secrets),
    events: ctx.get(coreServices.events),
    tenancy,
    logger: ctx.logger,
    nodeId: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    publishing: {
      maxAttempts: p.maxAttempts,
      retryBaseMs: p.retryBaseSeconds * 1000,
      retryMaxMs: p.retryMaxSeconds * 1000,
      maxLatenessMs: p.maxLatenessSeconds * 1000,
      pendingTimeoutMs: p.pendingTimeoutSeconds * 1000,
      pollMinMs: p.pollMinSeconds * 1000,
      pollMaxMs: p.pollMaxSeconds * 1000,
    },
    blobs: () => (blobs ??= ctx.get(coreServices.blobs)),
    checkOrigin(origin) {
      const url = new URL(origin);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const problem =
        url.protocol === 'http:' && !policy.allowPlainHttp ? 'plain http is not allowed' : isIP(host) ? addressProblem(host, policy) : undefined;
      if (problem) throw new OutboundRefused(origin, problem);
    },
    isConnectorEnabled,
    async connector(db, id) {
      const c = connectors.get(id);
      if (!c) throw new ProblemError({ status: 404, code: 'CONNECTOR_NOT_INSTALLED', title: 'Not found', detail: `no installed connector is called "${id}"` });
      if (!(await isConnectorEnabled(db, id))) {
        throw new ProblemError({ status: 404, code: 'CONNECTOR_NOT_ENABLED', title: 'Not found', detail: `the ${c.name} connector (plugin "${owners.get(id)}") is not enabled for this account` });
      }
      return c;
    },
    context(o) {
      return createConnectorContext({
        connector: o.connector,
        tenantId: o.tenantId,
        account: o.account ?? { id: '', settings: {} },
        origin: o.origin,
        agent,
        policy,
        timeouts: config.timeouts,
        logger: ctx.logger,
        limiter,
        ...(o.credentials ? { credentials: o.credentials } : {}),
        ...(o.client ? { client: o.client } : {}),
      });
    },
  };
}

export const accountNotFound = () => problems.notFound('social account');
