import type { Knex } from 'knex';
import type { PlanTier } from './context.js';
import type { AccountRecord } from './core-services.js';
import type { ConfigSchemas, PermissionDeclaration } from './plugin.js';

export interface NewAccount {
  name: string;
  planTier?: PlanTier;
  /** Makes the new account a sub-account (agencies and their clients). */
  parentId?: string | null;
}

/** One plugin's state for one tenant. Secrets are never returned, only whether there are some. */
export interface TenantPluginState {
  pluginId: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  hasSecrets: boolean;
}

export interface PluginStateChange {
  enabled: boolean;
  /** Replaces the settings; checked against the plugin's `tenantSettings` schema. */
  settings?: Record<string, unknown>;
  /** Replaces the secrets (write-only, sealed at rest); checked against `tenantSecrets`. */
  secrets?: Record<string, unknown>;
}

/**
 * Tenants and their plugins, for the plugins that administer them (identity). Every method
 * takes an optional transaction: given one, the work joins it (in a savepoint) so that it
 * commits together with the caller's own writes, e.g. an audit record, and the caller's
 * tenant binding is restored afterwards. Without one, it runs in a transaction of its own.
 * Unknown accounts are `problems.notFound('account')`; invalid input is a 422 ProblemError.
 */
export interface AccountsService {
  create(input: NewAccount, trx?: Knex.Transaction): Promise<AccountRecord>;
  get(accountId: string, trx?: Knex.Transaction): Promise<AccountRecord | undefined>;
  /** Direct sub-accounts of `parentId`, oldest first. */
  children(parentId: string, trx?: Knex.Transaction): Promise<AccountRecord[]>;
  /** Changes the plan tier; returns the account before and after. */
  setPlan(accountId: string, planTier: PlanTier, trx?: Knex.Transaction): Promise<{ before: AccountRecord; after: AccountRecord }>;
  pluginStates(accountId: string, trx?: Knex.Transaction): Promise<TenantPluginState[]>;
  /** Enables or disables a plugin for a tenant; effective on every node at once. */
  setPluginState(accountId: string, pluginId: string, change: PluginStateChange, trx?: Knex.Transaction): Promise<TenantPluginState>;
}

export interface InstalledPlugin {
  id: string;
  version: string;
  description: string | null;
  enabledByDefault: boolean;
  permissions: PermissionDeclaration[];
  /** Per-tenant settings and secrets schemas (what enabling the plugin for a tenant accepts). */
  schemas: Pick<ConfigSchemas, 'tenantSettings' | 'tenantSecrets'>;
}

/** What this deployment has installed: plugins, and every permission a route may require. */
export interface PluginCatalog {
  installed(): InstalledPlugin[];
  /** Permissions declared by the kernel and every installed plugin. */
  permissions(): PermissionDeclaration[];
}
