import type { Knex } from 'knex';
import { createServiceRef } from './refs.js';
import type { EventBus } from './events.js';
import type { PlanTier, Principal, TenantInfo } from './context.js';
import type { FeatureFlags } from './flags.js';
import type { Jobs } from './jobs.js';
import type { RateLimiter } from './rate-limits.js';
import type { AccountsService, PluginCatalog } from './accounts.js';
import type { BlobStore } from './blobs.js';

/** Resolves a bearer credential to who is calling. Implemented by the identity plugin. */
export interface AuthenticationPort {
  /** Returns undefined when the credential is unknown, expired or revoked. */
  authenticate(credential: string): Promise<Principal | undefined>;
  /**
   * Optional: mints a real credential for tooling (the test kit), holding exactly
   * `permissions` in `accountId`. `id`, when given, becomes the principal's id.
   */
  issue?(request: { accountId: string; permissions: string[]; id?: string }): Promise<{ token: string; principal: Principal }>;
}

export interface AccountRecord {
  id: string;
  name: string;
  planTier: PlanTier;
  status: 'active' | 'suspended' | 'closed';
  parentId: string | null;
  settings: Record<string, unknown>;
  createdAt: string;
}

/** Cross-tenant work goes through here: there is no other way around row level security. */
export interface TenancyService {
  /**
   * Runs `fn` in a transaction bound to one tenant. With `within`, `fn` runs in a savepoint
   * of that transaction instead (its writes commit with it), and the caller's tenant
   * binding is restored when `fn` returns.
   */
  withTenant<T>(accountId: string, fn: (trx: Knex.Transaction, tenant: TenantInfo) => Promise<T>, options?: { within?: Knex.Transaction }): Promise<T>;
  /**
   * Runs `fn` in a transaction bound to no tenant: tenant tables show no rows. For a
   * plugin's platform-level tables (those without `account_id`).
   */
  withoutTenant<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
  /** Visits every active tenant that enabled `pluginId`, one tenant transaction each. */
  forEachTenant(pluginId: string, fn: (trx: Knex.Transaction, tenant: TenantInfo) => Promise<void>): Promise<void>;
  isEnabled(accountId: string, pluginId: string): Promise<boolean>;
  /** Whether the tenant `trx` is bound to has `pluginId` enabled, read in that transaction. */
  isEnabledIn(trx: Knex.Transaction, pluginId: string): Promise<boolean>;
}

/** AES-256-GCM with key ids, for tokens and secrets at rest. */
export interface SecretBox {
  seal(plaintext: string, associatedData?: string): string;
  open(sealed: string, associatedData?: string): string;
}

export const coreServices = {
  /** The authentication port; provided by the identity plugin (or the test kit). */
  authentication: createServiceRef<AuthenticationPort>({ id: 'kernel.authentication' }),
  /** Tenant iteration and tenant transactions for cross-tenant work. */
  tenancy: createServiceRef<TenancyService>({ id: 'kernel.tenancy' }),
  /** Encryption of secrets at rest. */
  secrets: createServiceRef<SecretBox>({ id: 'kernel.secrets' }),
  /** Feature flags of every owner, evaluated per tenant; evaluation never throws. */
  flags: createServiceRef<FeatureFlags>({ id: 'kernel.flags' }),
  /** The transactional event bus: publish inside the transaction that makes the change. */
  events: createServiceRef<EventBus>({ id: 'kernel.events' }),
  /** The durable job queue: enqueue inside your tenant transaction. */
  jobs: createServiceRef<Jobs>({ id: 'kernel.jobs' }),
  /** The shared rate limiter, e.g. for outbound calls per connected account. */
  rateLimits: createServiceRef<RateLimiter>({ id: 'kernel.rateLimits' }),
  /** Tenants (accounts, sub-accounts, plan tiers) and which plugins each one enabled. */
  accounts: createServiceRef<AccountsService>({ id: 'kernel.accounts' }),
  /** The installed plugins and every declared permission. */
  plugins: createServiceRef<PluginCatalog>({ id: 'kernel.plugins' }),
  /** File storage (local filesystem or S3-compatible), tenant-bound keys. */
  blobs: createServiceRef<BlobStore>({ id: 'kernel.blobs' }),
};

/** What a tenant route handler gets on `request.ctx`. */
export interface RequestContext {
  requestId: string;
  tenant: TenantInfo;
  principal: Principal | undefined;
  /** The request's transaction; the tenant is already set, commits when the handler returns. */
  db: Knex.Transaction;
  get<T>(ref: import('./refs.js').ServiceRef<T>): T;
}
