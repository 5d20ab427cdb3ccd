import knexFactory, { type Knex } from 'knex';
import type { Migration } from '@markettina/sdk';
import { grantAppRole } from '../db/roles.js';

export const MIGRATIONS_SCHEMA = 'markettina_migrations';

export interface MigrationUnit {
  /** `kernel` or a plugin id; each unit has its own history table. */
  id: string;
  migrations: Migration[];
}

class ListSource implements Knex.MigrationSource<Migration> {
  constructor(private readonly list: Migration[]) {}
  async getMigrations() {
    return this.list;
  }
  getMigrationName(m: Migration) {
    return m.name;
  }
  async getMigration(m: Migration) {
    return { up: m.up, down: m.down ?? (async () => undefined) };
  }
}

/** History table of one unit: `plugin_<id>` with dashes folded, or `kernel`. */
export const historyTable = (unitId: string) => (unitId === 'kernel' ? 'kernel' : `plugin_${unitId.replaceAll('-', '_')}`);

export function assertOrdered(unit: MigrationUnit): void {
  const names = unit.migrations.map((m) => m.name);
  const sorted = [...names].sort();
  if (new Set(names).size !== names.length || names.some((n, i) => n !== sorted[i])) {
    throw new Error(`migrations of "${unit.id}" must have unique names listed in ascending order: ${names.join(', ')}`);
  }
}

/**
 * Applies the kernel's migrations, then each plugin's, in the order given (the plugin
 * dependency order). Each unit keeps its own history table and lock, so one plugin's
 * history cannot corrupt another's.
 */
export async function runMigrations(
  ownerUrl: string,
  appRole: string,
  units: MigrationUnit[],
  log: (msg: string) => void = () => undefined,
): Promise<{ applied: string[] }> {
  const knex = knexFactory({ client: 'pg', connection: ownerUrl, pool: { min: 0, max: 2 } });
  const applied: string[] = [];
  try {
    await knex.raw(`create schema if not exists ${MIGRATIONS_SCHEMA}`);
    for (const unit of units) {
      assertOrdered(unit);
      const [, names] = (await knex.migrate.latest({
        migrationSource: new ListSource(unit.migrations),
        schemaName: MIGRATIONS_SCHEMA,
        tableName: historyTable(unit.id),
      })) as [number, string[]];
      for (const name of names) {
        applied.push(`${unit.id}/${name}`);
        log(`migrated ${unit.id}/${name}`);
      }
    }
  } finally {
    await knex.destroy();
  }
  await grantAppRole(ownerUrl, appRole);
  return { applied };
}
