import type { FastifyInstance } from 'fastify';
import knexFactory, { type Knex } from 'knex';
import type { Logger } from 'pino';
import type { PluginDefinition } from '@markettina/sdk';
import { kernelMigrations } from '../../migrations/index.js';
import { loadConfig, type LoadConfigOptions } from './config/load.js';
import type { KernelConfig } from './config/types.js';
import { createSecretBox } from './crypto/keys.js';
import type { AesGcmSecretBox } from './crypto/secret-box.js';
import { prepareDatabase, type DatabaseUrls } from './db/prepare.js';
import { createHttpServer } from './http/server.js';
import { createLogger } from './logger.js';
import { runMigrations, type MigrationUnit } from './migrate/runner.js';
import { orderPlugins } from './plugins/graph.js';
import { PluginHost } from './plugins/host.js';
import { InstalledPlugins } from './plugins/catalog.js';
import { importPlugins, type PluginSource } from './plugins/load.js';
import { collectRegistration, type Registration } from './plugins/registration.js';
import { assertPluginShape, validateRegistration } from './plugins/validate.js';
import { AccountsAdmin } from './tenancy/accounts.js';
import { Tenancy } from './tenancy/tenancy.js';
import { ensureEventPartitions, EventCatalog, EventDispatcher, eventPartitionsJob, eventsAdminRoutes, KernelEventBus } from './events/index.js';
import { IdempotencyService } from './idempotency/service.js';
import { createRateLimitService, type RateLimitService } from './ratelimit/service.js';
import { rateLimitSweepJob } from './ratelimit/sweep-job.js';
import { idempotencySweepJob } from './idempotency/sweep-job.js';
import { FlagService } from './flags/index.js';
import { jobRoutes, JobsRuntime } from './jobs/index.js';
import { createBlobStore } from './blobs/index.js';
import type { BlobStore } from '@markettina/sdk';

export interface KernelOptions extends LoadConfigOptions {
  config?: KernelConfig;
  /** Plugin definitions given directly (tests, embedding), in addition to the configured packages. */
  plugins?: (PluginDefinition | { definition: PluginDefinition; config?: Record<string, unknown> })[];
  /** Database URLs already prepared (the test kit); skips embedded start-up. */
  database?: DatabaseUrls;
  /** `auto` migrates at boot; `skip` expects a migrated database. Default: auto in embedded mode. */
  migrate?: 'auto' | 'skip';
  logger?: Logger;
}

export interface Kernel {
  config: KernelConfig;
  logger: Logger;
  host: PluginHost;
  knex: Knex;
  app: FastifyInstance;
  accounts: AccountsAdmin;
  tenancy: Tenancy;
  secrets: AesGcmSecretBox;
  /** The event bus plugins publish to through `coreServices.events`. */
  events: KernelEventBus;
  /** This node's event dispatcher; started at boot unless `events.dispatcher` is off. */
  dispatcher: EventDispatcher;
  rateLimits: RateLimitService;
  idempotency: IdempotencyService;
  /** Feature flags: evaluation with a per-node cache, definitions, overrides. */
  flags: FlagService;
  /** Schedules and the durable queue; kernel subsystems add schedules with `jobs.addKernelJob` before it starts. */
  jobs: JobsRuntime;
  /** Blob storage plugins reach through `coreServices.blobs` (local folder or S3 bucket, per `storage`). */
  blobs: BlobStore;
  database: DatabaseUrls;
  /** Runs the plugins' start hooks (once), then listens. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Loads, orders and validates plugins. Pure of I/O beyond importing packages. */
export async function resolvePlugins(config: KernelConfig, extra: KernelOptions['plugins'] = []): Promise<Registration[]> {
  const sources: PluginSource[] = await importPlugins(config.plugins);
  for (const p of extra) {
    const [definition, cfg] = 'definition' in p ? [p.definition, p.config ?? {}] : [p, {}];
    assertPluginShape(definition, `(inline) ${String(definition?.manifest?.id)}`);
    sources.push({ definition, packageName: `(inline) ${definition.manifest.id}`, config: structuredClone(cfg) });
  }
  const regs = sources.map((s) => collectRegistration(s.definition, s.packageName, s.config));
  const ordered = orderPlugins(regs);
  for (const reg of ordered) validateRegistration(reg);
  return ordered;
}

export const migrationUnits = (plugins: Registration[]): MigrationUnit[] => [
  { id: 'kernel', migrations: kernelMigrations },
  ...plugins.filter((p) => p.migrations.length > 0).map((p) => ({ id: p.id, migrations: p.migrations })),
];

export async function createKernel(options: KernelOptions = {}): Promise<Kernel> {
  const config = options.config ?? loadConfig(options);
  const logger = options.logger ?? createLogger({ level: config.logging.level });
  const plugins = await resolvePlugins(config, options.plugins);
  const eventCatalog = new EventCatalog(plugins);
  const database = options.database ?? (await prepareDatabase(config, (line) => logger.debug({ postgres: line.trim() })));
  const migrate = options.migrate ?? (database.embedded ? 'auto' : 'skip');
  if (migrate === 'auto') {
    await runMigrations(database.ownerUrl, config.database.appRole, migrationUnits(plugins), (m) => logger.info(m));
  }
  const knex = knexFactory({ client: 'pg', connection: database.appUrl, pool: config.database.pool });
  const secrets = createSecretBox(config);
  const tenancy = new Tenancy(knex);
  const events = new KernelEventBus(eventCatalog);
  const flags = new FlagService({ knex, listenUrl: database.appUrl, declared: plugins.flatMap((p) => p.flags), logger });
  const jobs = new JobsRuntime({ knex, tenancy, logger, plugins, config: config.jobs });
  const rateLimits = createRateLimitService(config.rateLimits, database.appUrl);
  const idempotency = new IdempotencyService(knex, config.idempotency);
  const blobs = createBlobStore(config.storage);
  jobs.addKernelJob(rateLimitSweepJob(rateLimits, config.rateLimits.store));
  jobs.addKernelJob(idempotencySweepJob(idempotency));
  jobs.addKernelJob(eventPartitionsJob(knex, config.events.partitionsAhead));
  const host = new PluginHost(plugins, logger, {
    tenancy,
    secrets,
    rateLimits,
    flags,
    jobs: jobs.queue,
    events,
    accounts: (): AccountsAdmin => accounts,
    plugins: new InstalledPlugins(plugins),
    blobs,
  });
  const accounts: AccountsAdmin = new AccountsAdmin(knex, host, secrets);
  const dispatcher = new EventDispatcher(
    { knex, host, catalog: eventCatalog, logger, batchSize: config.events.batchSize, retry: { maxAttempts: config.events.maxAttempts, ...config.events.backoff } },
    { concurrency: config.events.concurrency, pollIntervalMs: config.events.pollIntervalMs, listenUrl: database.appUrl },
  );
  const app = await createHttpServer({ config, logger, knex, host, rateLimits, idempotency, flags, kernelRoutes: [jobRoutes(jobs.queue), eventsAdminRoutes] });
  await app.ready();
  await flags.start().catch(async (err: unknown) => {
    await flags.stop();
    throw err;
  });

  let closed = false;
  let started = false;
  const kernel: Kernel = {
    config,
    logger,
    host,
    knex,
    app,
    accounts,
    tenancy,
    secrets,
    events,
    dispatcher,
    rateLimits,
    idempotency,
    flags,
    jobs,
    blobs,
    database,
    async listen() {
      if (!started) {
        started = true;
        await host.runStartHooks({ embeddedDatabase: Boolean(database.embedded) });
      }
      return app.listen({ host: config.server.host, port: config.server.port });
    },
    async close() {
      if (closed) return;
      closed = true;
      await dispatcher.stop();
      await jobs.stop();
      await app.close();
      await flags.stop();
      await knex.destroy();
      await rateLimits.close();
      await database.embedded?.stop();
    },
  };
  try {
    await ensureEventPartitions(knex, config.events.partitionsAhead);
    await jobs.start(host);
    if (config.events.dispatcher) dispatcher.start();
  } catch (err) {
    await kernel.close();
    throw err;
  }
  return kernel;
}
