import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Kernel } from '@markettina/kernel';
import { coreServices, type AuthenticationPort, type PlanTier, type PluginDefinition, type Principal } from '../index.js';
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
  /**
   * The bearer token. With an authentication plugin installed it is issued asynchronously:
   * read it after `await ready()` (or after the first `inject`).
   */
  token: string;
  /** Resolves once the credential exists. */
  ready(): Promise<TestPrincipal>;
  /** `inject` with this principal's bearer token. */
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

export interface TestTenant {
  accountId: string;
  /**
   * A principal of this tenant holding `permissions` (default: all). With the kit's own
   * authenticator the principal is exactly `{ id, type, accountId, permissions }`. When an
   * installed plugin implements authentication, the kit asks it (`AuthenticationPort.issue`)
   * for a real credential, e.g. an API key from the identity plugin; `id` is used when it
   * is a UUID, and `type` must stay `user`.
   */
  as(permissions?: string[], id?: string, type?: Principal['type']): TestPrincipal;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A principal whose credential the installed authentication plugin issues. */
function issuedPrincipal(port: AuthenticationPort, accountId: string, permissions: string[], id: string, inject: TestKernel['inject']): TestPrincipal {
  if (!port.issue) throw new Error('the installed authentication plugin cannot issue credentials (AuthenticationPort.issue); authenticate through its own API instead');
  const principalId = UUID.test(id) ? id : randomUUID();
  const issued = port.issue({ accountId, permissions, id: principalId });
  issued.catch(() => undefined); // reported by ready() and inject()
  let token: string | undefined;
  const caller: TestPrincipal = {
    principal: { id: principalId, type: 'api_key', accountId, permissions },
    get token(): string {
      if (token === undefined) throw new Error('the credential is issued asynchronously; read token after `await caller.ready()`');
      return token;
    },
    async ready() {
      token = (await issued).token;
      return caller;
    },
    async inject(o: InjectOptions) {
      await caller.ready();
      return inject({ ...o, headers: { ...(o.headers ?? {}), authorization: `Bearer ${token}` } });
    },
  };
  return caller;
}

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
  // Blobs of this kernel (and its extra nodes) go to a folder of its own, removed on close.
  const blobDir = mkdtempSync(join(tmpdir(), 'markettina-blobs-'));
  const config = loadConfig({
    env: {},
    overrides: {
      server: { host: '127.0.0.1', port: 0 },
      database: { appRole: TEST_APP_ROLE },
      secrets: { keys: { test: AesGcmSecretBox.generateKey() }, activeKeyId: 'test' },
      logging: { level: process.env.LOG_LEVEL ?? 'silent' },
      storage: { kind: 'local', dir: blobDir },
      // Only the plugins a test passes are installed, whatever the default configuration lists.
      plugins: [],
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
  const port = bringsAuth ? kernel.host.contextFor('kernel').get(coreServices.authentication) : undefined;

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
        as(permissions = ['*'], id = randomUUID(), type = 'user') {
          if (port) {
            if (type !== 'user') throw new Error(`with an authentication plugin installed, tenant.as() issues tenant credentials only, not "${type}"`);
            return issuedPrincipal(port, account.id, permissions, id, inject);
          }
          const principal: Principal = { id, type, accountId: account.id, permissions };
          const token = tokens.issue(principal);
          const caller: TestPrincipal = {
            principal,
            token,
            ready: async () => caller,
            inject: (o: InjectOptions) => inject({ ...o, headers: { ...(o.headers ?? {}), authorization: `Bearer ${token}` } }),
          };
          return caller;
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
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}
