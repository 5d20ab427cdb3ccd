import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Kernel } from '@markettina/kernel';
import { coreServices, type PlanTier, type PluginDefinition, type Principal } from '../index.js';
import { testAuthPlugin, TestTokens } from './auth.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { TEST_APP_ROLE } from './cluster.js';

type PluginInput = PluginDefinition | { definition: PluginDefinition; config?: Record<string, unknown> };

export interface TestKernelOptions {
  plugins: PluginInput[];
  /** Deployment config overrides (merged over the defaults). */
  config?: Record<string, unknown>;
}

export interface TestPrincipal {
  principal: Principal;
  token: string;
  /** `inject` with this principal's bearer token. */
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

export interface TestTenant {
  accountId: string;
  /** A principal of this tenant holding `permissions` (default: all). */
  as(permissions?: string[], id?: string): TestPrincipal;
}

export interface TestKernel {
  kernel: Kernel;
  database: TestDatabase;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  createTenant(options?: { name?: string; planTier?: PlanTier; parentId?: string; enable?: string[] | 'all' }): Promise<TestTenant>;
  /**
   * Another kernel (another "node") on the same database with the same plugins and token
   * authenticator, for tests of what several nodes must agree on. Closed with the kit.
   */
  startNode(): Promise<Kernel>;
  close(): Promise<void>;
}

const definitionOf = (p: PluginInput) => ('definition' in p ? p.definition : p);

/**
 * Starts a real kernel with the given plugins on a fresh database cloned from a migrated
 * template. Unless one of the plugins implements authentication, the kit's own token
 * authenticator is installed so `tenant.as([...]).inject(...)` works.
 */
export async function startTestKernel(options: TestKernelOptions): Promise<TestKernel> {
  const { createKernel, loadConfig, migrationUnits, resolvePlugins, AesGcmSecretBox } = await import('@markettina/kernel');
  const tokens = new TestTokens();
  const bringsAuth = options.plugins.some((p) => (definitionOf(p).manifest.provides ?? []).some((r) => r.id === coreServices.authentication.id));
  const plugins = bringsAuth ? options.plugins : [...options.plugins, testAuthPlugin(tokens)];
  const config = loadConfig({
    env: {},
    overrides: {
      server: { host: '127.0.0.1', port: 0 },
      database: { appRole: TEST_APP_ROLE },
      secrets: { keys: { test: AesGcmSecretBox.generateKey() }, activeKeyId: 'test' },
      logging: { level: process.env.LOG_LEVEL ?? 'silent' },
      ...options.config,
    },
  });
  const registrations = await resolvePlugins(config, plugins);
  const database = await createTestDatabase(migrationUnits(registrations));
  const boot = () => createKernel({ config, plugins, database: { ownerUrl: database.ownerUrl, appUrl: database.appUrl }, migrate: 'skip' });
  const kernel = await boot();
  const nodes: Kernel[] = [];
  const inject = (opts: InjectOptions) => kernel.app.inject(opts);
  const installed = registrations.map((r) => r.id).filter((id) => id !== 'test-auth');

  return {
    kernel,
    database,
    inject,
    async createTenant(opts = {}) {
      const account = await kernel.accounts.create({ name: opts.name ?? 'Test tenant', planTier: opts.planTier ?? 'pro', parentId: opts.parentId ?? null });
      const enable = opts.enable === undefined || opts.enable === 'all' ? installed : opts.enable;
      for (const pluginId of enable) await kernel.accounts.setPluginState(account.id, pluginId, { enabled: true });
      return {
        accountId: account.id,
        as(permissions = ['*'], id = randomUUID()) {
          const principal: Principal = { id, type: 'user', accountId: account.id, permissions };
          const token = tokens.issue(principal);
          return {
            principal,
            token,
            inject: (o: InjectOptions) => inject({ ...o, headers: { ...(o.headers ?? {}), authorization: `Bearer ${token}` } }),
          };
        },
      };
    },
    async startNode() {
      const node = await boot();
      nodes.push(node);
      return node;
    },
    async close() {
      for (const node of nodes) await node.close();
      await kernel.close();
      await database.drop();
    },
  };
}
