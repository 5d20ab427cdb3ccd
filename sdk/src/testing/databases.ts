import { randomBytes } from 'node:crypto';
import type { MigrationUnit } from '@markettina/kernel';
import { hashKey, TEST_APP_ROLE, TEST_OWNER_ROLE, testCluster, withClient, type ClusterInfo } from './cluster.js';

export interface TestDatabase {
  name: string;
  ownerUrl: string;
  appUrl: string;
  drop(): Promise<void>;
}

const templates = new Map<string, Promise<string>>();

/**
 * A migrated template per set of migrations, built once per cluster (an advisory lock
 * serialises test processes racing to build the same one), then cloned per test file.
 */
async function templateFor(cluster: ClusterInfo, units: MigrationUnit[]): Promise<string> {
  const key = hashKey(units.flatMap((u) => [u.id, ...u.migrations.map((m) => m.name)]));
  const name = `tpl_${key}`;
  let pending = templates.get(name);
  if (!pending) {
    pending = withClient(cluster.superuserUrl, async (c) => {
      await c.query('select pg_advisory_lock(hashtext($1))', [name]);
      try {
        const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount) return name;
        const { runMigrations, withCredentials } = await import('@markettina/kernel');
        const building = `${name}_build_${randomBytes(3).toString('hex')}`;
        await c.query(`create database ${building} owner ${TEST_OWNER_ROLE}`);
        await runMigrations(withCredentials(cluster.superuserUrl, TEST_OWNER_ROLE, cluster.ownerPassword, building), TEST_APP_ROLE, units);
        await c.query(`alter database ${building} rename to ${name}`);
        await c.query(`alter database ${name} is_template true`);
        return name;
      } finally {
        await c.query('select pg_advisory_unlock(hashtext($1))', [name]);
      }
    });
    templates.set(name, pending);
  }
  return pending;
}

/** A fresh database for one test file, cloned from the migrated template in milliseconds. */
export async function createTestDatabase(units: MigrationUnit[]): Promise<TestDatabase> {
  const cluster = await testCluster();
  const template = await templateFor(cluster, units);
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(cluster.superuserUrl, (c) => c.query(`create database ${name} template ${template} owner ${TEST_OWNER_ROLE}`));
  const { withCredentials } = await import('@markettina/kernel');
  return {
    name,
    ownerUrl: withCredentials(cluster.superuserUrl, TEST_OWNER_ROLE, cluster.ownerPassword, name),
    appUrl: withCredentials(cluster.superuserUrl, TEST_APP_ROLE, cluster.appPassword, name),
    drop: () => withClient(cluster.superuserUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
