import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { definePlugin, type Migration } from '@markettina/sdk';
import { migrationUnits, resolvePlugins, loadConfig, runMigrations } from '@markettina/kernel';
import { createTestDatabase } from '@markettina/sdk/testing';

const table = (name: string): Migration => ({ name: `0001_${name}`, up: async (k) => void (await k.raw(`create table ${name} (id int primary key)`)) });

describe('migrations', () => {
  test('each plugin is tracked in its own history table, after the kernel, in dependency order; reruns apply nothing', async () => {
    const db = await createTestDatabase([]);
    try {
      const alpha = definePlugin({ manifest: { id: 'alpha', version: '1.0.0', kernel: '^1.0.0' }, register: (r) => r.migrations([table('alpha_things')]) });
      const beta = definePlugin({ manifest: { id: 'beta-two', version: '1.0.0', kernel: '^1.0.0' }, register: (r) => r.migrations([table('beta_things')]) });
      const units = migrationUnits(await resolvePlugins(loadConfig({ env: {}, overrides: { plugins: [] } }), [alpha, beta]));
      const first = await runMigrations(db.ownerUrl, 'markettina_app', units);
      assert.equal(first.applied[0]!.split('/')[0], 'kernel');
      assert.ok(first.applied.includes('alpha/0001_alpha_things') && first.applied.includes('beta-two/0001_beta_things'));
      assert.deepEqual((await runMigrations(db.ownerUrl, 'markettina_app', units)).applied, []);

      const c = new pg.Client({ connectionString: db.ownerUrl });
      await c.connect();
      const tables = await c.query("select table_name from information_schema.tables where table_schema = 'markettina_migrations' and table_name not like '%lock' order by 1");
      assert.deepEqual(tables.rows.map((r) => r.table_name), ['kernel', 'plugin_alpha', 'plugin_beta_two']);
      const history = await c.query('select name from markettina_migrations.plugin_alpha');
      assert.deepEqual(history.rows.map((r) => r.name), ['0001_alpha_things']);
      await c.end();

      const app = new pg.Client({ connectionString: db.appUrl });
      await app.connect();
      await assert.rejects(app.query('select * from markettina_migrations.kernel'), /permission denied/);
      await assert.rejects(app.query('create table sneaky (id int)'), /permission denied/);
      await app.end();
    } finally {
      await db.drop();
    }
  });

  test('migrations listed out of order are refused before anything runs', async () => {
    const db = await createTestDatabase([]);
    try {
      const units = [{ id: 'gamma', migrations: [table('g2'), { ...table('g1'), name: '0000_g1' }] }];
      await assert.rejects(runMigrations(db.ownerUrl, 'markettina_app', units), /ascending order/);
    } finally {
      await db.drop();
    }
  });
});
