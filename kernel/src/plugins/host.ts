import { asFunction, asValue, createContainer, InjectionMode, type AwilixContainer } from 'awilix';
import type { Knex } from 'knex';
import {
  PluginError,
  type AccountsService,
  type BlobStore,
  type EventBus,
  type ExtensionContribution,
  type ExtensionPointRef,
  type FeatureFlags,
  type Jobs,
  type Logger,
  type PluginCatalog,
  type Principal,
  type RateLimiter,
  type RequestContext,
  type SecretBox,
  type ServiceContext,
  type ServiceRef,
  type TenancyService,
  type TenantContext,
  type TenantInfo,
} from '@markettina/sdk';
import type { Registration } from './registration.js';
import { KERNEL_PORTS, KERNEL_REFS } from './graph.js';

const REQUEST_KEY = 'kernel.request';

interface RequestValues {
  requestId: string;
  db: Knex.Transaction;
  tenant: TenantInfo;
  principal: Principal | undefined;
}

interface PluginView {
  pluginId: string;
  /** Refs the manifest declares (requires, optional, provides). */
  allowed: Set<string>;
  optional: Set<string>;
  logger: Logger;
  config: Record<string, unknown>;
}

/**
 * Wires plugins into one awilix root container. Each plugin reaches services only through
 * its own context, which admits the refs its manifest declared (and the kernel's own).
 */
/** A route a plugin mounted, as the kernel saw it (used by the test kit's bad-input check). */
export interface RouteInfo {
  pluginId: string;
  method: string;
  url: string;
  schema: Record<string, unknown>;
  config: Record<string, unknown>;
}

export class PluginHost {
  readonly container: AwilixContainer;
  readonly routes: RouteInfo[] = [];
  private readonly byId = new Map<string, Registration>();
  private readonly provided = new Set<string>();
  private readonly views = new Map<string, PluginView>();

  constructor(
    readonly ordered: Registration[],
    private readonly logger: Logger,
    kernel: {
      tenancy: TenancyService;
      secrets: SecretBox;
      flags: FeatureFlags;
      events: EventBus;
      jobs: Jobs;
      rateLimits: RateLimiter;
      /** Resolved on first use: the accounts service itself needs the host. */
      accounts: () => AccountsService;
      plugins: PluginCatalog;
      blobs: BlobStore;
    },
  ) {
    this.container = createContainer({ injectionMode: InjectionMode.PROXY, strict: true });
    this.container.register({
      'kernel.tenancy': asValue(kernel.tenancy),
      'kernel.secrets': asValue(kernel.secrets),
      'kernel.flags': asValue(kernel.flags),
      'kernel.events': asValue(kernel.events),
      'kernel.jobs': asValue(kernel.jobs),
      'kernel.rateLimits': asValue(kernel.rateLimits),
      'kernel.accounts': asFunction(kernel.accounts).singleton(),
      'kernel.plugins': asValue(kernel.plugins),
      'kernel.blobs': asValue(kernel.blobs),
    });
    for (const reg of ordered) {
      this.byId.set(reg.id, reg);
      for (const { ref, factory } of reg.services) {
        this.provided.add(ref.id);
        const resolver =
          ref.scope === 'request'
            ? asFunction((cradle: Record<string, unknown>) =>
                factory({ ...this.contextFor(reg.id, cradle), ...(cradle[REQUEST_KEY] as RequestValues) }),
              ).scoped()
            : asFunction((cradle: Record<string, unknown>) => factory(this.contextFor(reg.id, cradle))).singleton();
        this.container.register(ref.id, resolver);
      }
    }
  }

  get plugins(): Registration[] {
    return this.ordered;
  }

  registration(id: string): Registration | undefined {
    return this.byId.get(id);
  }

  has(ref: ServiceRef<unknown>): boolean {
    return KERNEL_REFS.has(ref.id) || this.provided.has(ref.id);
  }

  extensionsOf<T>(point: ExtensionPointRef<T>): T[] {
    return this.contributionsOf(point).map((c) => c.value);
  }

  contributionsOf<T>(point: ExtensionPointRef<T>): ExtensionContribution<T>[] {
    return this.ordered.flatMap((r) => r.extensions.filter((e) => e.point.id === point.id).map((e) => ({ pluginId: r.id, value: e.value as T })));
  }

  /** The narrow view of the container one plugin gets. */
  contextFor(pluginId: string, cradle: Record<string, unknown> = this.container.cradle): ServiceContext {
    const view = this.viewOf(pluginId);
    return {
      pluginId,
      logger: view.logger,
      config: view.config,
      get: <T>(ref: ServiceRef<T>): T => this.resolve(view, ref, cradle),
      extensions: <T>(point: ExtensionPointRef<T>) => this.extensionsOf(point),
      contributions: <T>(point: ExtensionPointRef<T>) => this.contributionsOf(point),
    };
  }

  /**
   * The request's values, and services from a child scope holding them. The scope is
   * created on the first `get`: most handlers only touch `db`, and creating it per request
   * cost more than the rest of the context.
   */
  requestContext(pluginId: string, values: RequestValues): RequestContext {
    const view = this.viewOf(pluginId);
    let scope: AwilixContainer | undefined;
    const cradle = () => (scope ??= this.scopeWith(values)).cradle as Record<string, unknown>;
    return { ...values, get: <T>(ref: ServiceRef<T>): T => this.resolve(view, ref, cradle()) };
  }

  /** What a plugin's contexts share; built once per plugin, not per request. */
  private viewOf(pluginId: string): PluginView {
    let view = this.views.get(pluginId);
    if (!view) {
      const reg = this.byId.get(pluginId);
      const manifest = reg?.manifest;
      view = {
        pluginId,
        allowed: new Set([...(manifest?.requires ?? []), ...(manifest?.optional ?? []), ...(manifest?.provides ?? [])].map((r) => r.id)),
        optional: new Set((manifest?.optional ?? []).map((r) => r.id)),
        logger: this.logger.child({ plugin: pluginId }),
        config: reg?.config ?? {},
      };
      this.views.set(pluginId, view);
    }
    return view;
  }

  private resolve<T>(view: PluginView, ref: ServiceRef<T>, cradle: Record<string, unknown>): T {
    const { pluginId } = view;
    if (!KERNEL_REFS.has(ref.id) && !view.allowed.has(ref.id) && !(pluginId === 'kernel' && KERNEL_PORTS.has(ref.id))) {
      throw new PluginError('PLUGIN_UNDECLARED_REF', `plugin "${pluginId}" used service "${ref.id}" without declaring it; add it to manifest.requires`, pluginId);
    }
    if (view.optional.has(ref.id) && !this.provided.has(ref.id)) return undefined as T;
    return cradle[ref.id] as T;
  }

  private scopeWith(values: RequestValues): AwilixContainer {
    const scope = this.container.createScope();
    scope.register(REQUEST_KEY, asValue(values));
    return scope;
  }

  /** Runs every plugin's start hooks, in dependency order. */
  async runStartHooks(facts: { embeddedDatabase: boolean }): Promise<void> {
    for (const reg of this.ordered) {
      for (const hook of reg.onStart) await hook({ ...this.contextFor(reg.id), ...facts });
    }
  }

  tenantContext(pluginId: string, db: Knex.Transaction, tenant: TenantInfo): TenantContext {
    const scope = this.scopeWith({ requestId: '', db, tenant, principal: undefined });
    return { ...this.contextFor(pluginId, scope.cradle as Record<string, unknown>), db, tenant };
  }
}
