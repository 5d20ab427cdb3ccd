import type { KernelConfig } from '../config/types.js';
import type { MigrationUnit } from '../migrate/runner.js';
import { CliError, type CliIo, type Command } from './command.js';
import { adminLogger, cliConfig, kernelModule } from './session.js';

/** DATABASE_URL mode: the URL's role owns the schema; the app role is checked (and created when allowed) first. */
async function migrateServer(config: KernelConfig, units: MigrationUnit[], io: CliIo): Promise<string[]> {
  const [{ inspectAppRole, planAppRole }, { ensureRole }, { runMigrations }] = await Promise.all([
    import('./app-role.js'),
    import('../db/roles.js'),
    import('../migrate/runner.js'),
  ]);
  const { url, appRole, appPassword } = config.database;
  const plan = planAppRole(await inspectAppRole(url!, appRole, Boolean(appPassword)));
  if (plan.action === 'refuse') throw new CliError(plan.code, plan.reason);
  if (plan.action === 'create') {
    await ensureRole(url!, { name: appRole, password: appPassword!, kind: 'app' });
    io.out(`created app role ${appRole}`);
  }
  return (await runMigrations(url!, appRole, units)).applied;
}

/** Embedded mode: the cluster and both roles are set up the way `start` does it. */
async function migrateEmbedded(config: KernelConfig, units: MigrationUnit[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const [{ prepareDatabase }, { runMigrations }] = await Promise.all([import('../db/prepare.js'), import('../migrate/runner.js')]);
  const logger = adminLogger(config, env);
  const database = await prepareDatabase(config, (line) => logger.debug({ postgres: line.trim() }));
  try {
    return (await runMigrations(database.ownerUrl, config.database.appRole, units)).applied;
  } finally {
    await database.embedded?.stop();
  }
}

export const migrateCommand: Command = {
  name: 'migrate',
  synopsis: '',
  summary: 'apply the kernel and plugin migrations with the owner role (start does this itself in embedded mode)',
  args: { min: 0, max: 0 },
  async run({ values, env, io }) {
    const config = cliConfig({ values, env });
    const { migrationUnits, resolvePlugins } = await kernelModule();
    const units = migrationUnits(await resolvePlugins(config));
    const applied = config.database.url ? await migrateServer(config, units, io) : await migrateEmbedded(config, units, env);
    for (const name of applied) io.out(`migrated ${name}`);
    if (applied.length === 0) io.out(`database is up to date (${units.map((u) => u.id).join(', ')})`);
  },
};
