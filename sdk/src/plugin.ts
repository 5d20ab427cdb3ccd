import type { FastifyPluginAsync } from 'fastify';
import type { Knex } from 'knex';
import type { ServiceRef } from './refs.js';
import type { ExtensionPointRef } from './extensions.js';
import type { JsonSchema } from './schema.js';
import type { Logger, Principal, TenantInfo } from './context.js';
import type { FlagDeclaration } from './flags.js';
import type { JobDeclaration, JsonObject, TaskDeclaration } from './jobs.js';

/** The kernel API this SDK speaks. Plugins state the range they support in `manifest.kernel`. */
export const KERNEL_API_VERSION = '1.0.0';

export const PLUGIN_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface PermissionDeclaration {
  /** `<plugin>.<resource>:<action>`, e.g. `campaigns.campaigns:write`. */
  id: string;
  description: string;
  /**
   * A platform permission acts on the whole deployment, not on one account: only platform
   * administrators (principal type `admin`) hold it, whatever a tenant role or `*` says.
   */
  platform?: boolean;
}

export interface PluginManifest {
  id: string;
  version: string;
  /** semver range of KERNEL_API_VERSION this plugin works with, e.g. `^1.0.0`. */
  kernel: string;
  description?: string;
  provides?: ServiceRef<unknown>[];
  requires?: ServiceRef<unknown>[];
  /** Refs used when present; their providers are ordered first but may be absent. */
  optional?: ServiceRef<unknown>[];
  permissions?: PermissionDeclaration[];
  /** Whether new tenants get this plugin enabled without an explicit step. */
  enabledByDefault?: boolean;
}

/** One knex migration, named so that its order is the order of the names. */
export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down?(knex: Knex): Promise<void>;
}

/** What a service factory sees. Request-scoped factories also get the tenant transaction. */
export interface ServiceContext {
  pluginId: string;
  logger: Logger;
  /** The plugin's validated deployment configuration. */
  config: Record<string, unknown>;
  get<T>(ref: ServiceRef<T>): T;
  extensions<T>(point: ExtensionPointRef<T>): T[];
  /** The same extensions with the plugin that contributed each, so an owner can honour per-tenant enablement. */
  contributions<T>(point: ExtensionPointRef<T>): ExtensionContribution<T>[];
}

export interface ExtensionContribution<T> {
  pluginId: string;
  value: T;
}

export interface RequestServiceContext extends ServiceContext {
  db: Knex.Transaction;
  tenant: TenantInfo;
  principal: Principal | undefined;
}

export type ServiceFactory<T, S extends 'root' | 'request'> = (
  ctx: S extends 'request' ? RequestServiceContext : ServiceContext,
) => T;

/** Context of an event handler, a per-tenant job step or a tenant lifecycle hook. */
export interface TenantContext extends ServiceContext {
  db: Knex.Transaction;
  tenant: TenantInfo;
}

/** The event envelope; `toCloudEvent` maps it onto CloudEvents 1.0. */
export interface DomainEvent<P = Record<string, unknown>> {
  id: string;
  type: string;
  /** The id of the plugin that declared the type. */
  source: string;
  subject: string | null;
  /** When it was published (ISO 8601). */
  time: string;
  accountId: string;
  aggregateId: string | null;
  data: P;
}

export interface EventSubscription {
  event: string;
  /** Unique within the plugin; deliveries are tracked per subscriber. */
  subscriberId: string;
  /**
   * Runs in a tenant transaction (`ctx.db`) that also marks the delivery done, so its
   * database effects happen exactly once. Throw to have it retried with backoff.
   */
  handler(event: DomainEvent, ctx: TenantContext): Promise<void>;
}

export interface EventDeclaration {
  type: string;
  description?: string;
  schema: JsonSchema;
}

export interface ConfigSchemas {
  /** Deployment-wide settings, from the deployment config file. */
  deployment?: JsonSchema;
  /** Per-tenant settings, stored with the tenant's enablement. */
  tenantSettings?: JsonSchema;
  /** Per-tenant secrets: write-only, encrypted at rest. */
  tenantSecrets?: JsonSchema;
}

export type TenantHook = (ctx: TenantContext) => Promise<void>;

/** What a start hook sees: the plugin's services plus facts about the deployment. */
export interface StartContext extends ServiceContext {
  /** True when the kernel runs its own embedded PostgreSQL (a development or demo setup). */
  embeddedDatabase: boolean;
}

export type StartHook = (ctx: StartContext) => Promise<void>;

/** What `register` may declare. It declares only; the kernel does the work later. */
export interface PluginRegistrar {
  routes(routes: FastifyPluginAsync): void;
  migrations(migrations: Migration[]): void;
  provide<T, S extends 'root' | 'request'>(ref: ServiceRef<T> & { scope: S }, factory: ServiceFactory<T, S>): void;
  subscribe(subscription: EventSubscription): void;
  publishes(event: EventDeclaration): void;
  job(job: JobDeclaration): void;
  /** A handler for durable jobs of one type (enqueued with `coreServices.jobs`). */
  task<P extends JsonObject>(task: TaskDeclaration<P>): void;
  extensionPoint<T>(point: ExtensionPointRef<T>): void;
  extend<T>(point: ExtensionPointRef<T>, extension: T): void;
  config(schemas: ConfigSchemas): void;
  onTenantEnabled(hook: TenantHook): void;
  onTenantDisabled(hook: TenantHook): void;
  /**
   * Runs once per node when the kernel starts serving: after migrations, before it listens.
   * Plugins run their hooks in dependency order; a throw stops the start.
   */
  onStart(hook: StartHook): void;
  /** A feature flag this plugin owns; its key starts with "<plugin id>.". */
  flag(flag: FlagDeclaration): void;
}

export interface PluginDefinition {
  readonly manifest: Readonly<PluginManifest>;
  register(reg: PluginRegistrar): void;
}

/**
 * Declares a plugin. The value is the default export of the plugin's package; the kernel
 * validates the manifest again at boot, so a hand-written object cannot skip the checks.
 */
export function definePlugin(definition: PluginDefinition): PluginDefinition {
  const { id, version, kernel } = definition.manifest;
  if (!PLUGIN_ID.test(id)) {
    throw new TypeError(`plugin id "${id}" must be kebab-case (e.g. "social" or "connector-mastodon")`);
  }
  if (!version) throw new TypeError(`plugin "${id}" has no manifest.version`);
  if (!kernel) throw new TypeError(`plugin "${id}" has no manifest.kernel range (e.g. "^1.0.0")`);
  return Object.freeze({ manifest: Object.freeze({ ...definition.manifest }), register: definition.register });
}
