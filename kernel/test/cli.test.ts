import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { AesGcmSecretBox, migrationUnits } from '@markettina/kernel';
import { createTestDatabase, type TestDatabase } from '@markettina/sdk/testing';
import { cliEnv, NOTES_PLUGIN, runCli, workDir, type CliResult } from './fixtures/cli.js';

/** `markettina` as an operator runs it: a separate process, configured by file and environment. */
describe('markettina CLI process against a server database (DATABASE_URL mode)', () => {
  let db: TestDatabase;
  let cwd: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, { cwd, env });
  const ok = (r: CliResult) => assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  const ownerQuery = async (sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: db.ownerUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };

  before(async () => {
    // Only the kernel is migrated; the notes plugin's migrations are left for `migrate`.
    db = await createTestDatabase(migrationUnits([]));
    cwd = workDir({ plugins: [NOTES_PLUGIN] });
    env = cliEnv({
      DATABASE_URL: db.ownerUrl,
      DATABASE_APP_PASSWORD: decodeURIComponent(new URL(db.appUrl).password),
      MARKETTINA_SECRET_KEYS: JSON.stringify({ keys: { k1: AesGcmSecretBox.generateKey() }, activeKeyId: 'k1' }),
    });
  });
  after(async () => {
    await db?.drop();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  test('migrate applies the installed plugins migrations, and a second run changes nothing', async () => {
    const first = await cli('migrate');
    ok(first);
    assert.match(first.stdout, /^migrated notes\/0001_notes$/m);
    assert.doesNotMatch(first.stdout, /migrated kernel\//, 'the kernel was already migrated');
    assert.deepEqual(await ownerQuery("select to_regclass('notes') is not null as present"), [{ present: true }]);

    const second = await cli('migrate');
    ok(second);
    assert.doesNotMatch(second.stdout, /migrated/);
    assert.match(second.stdout, /^database is up to date \(kernel, .*notes\)$/m);
  });

  test('tenants create makes a tenant that tenants list shows', async () => {
    const created = await cli('tenants', 'create', 'Acme', '--plan', 'pro', '--json');
    ok(created);
    const acme = JSON.parse(created.stdout) as { id: string; name: string; planTier: string };
    assert.deepEqual([acme.name, acme.planTier], ['Acme', 'pro']);
    assert.deepEqual(await ownerQuery('select name, plan_tier from accounts where id = $1', [acme.id]), [{ name: 'Acme', plan_tier: 'pro' }]);

    const listed = await cli('tenants', 'list', '--json');
    ok(listed);
    assert.deepEqual((JSON.parse(listed.stdout) as { id: string }[]).map((a) => a.id), [acme.id]);
  });

  test('plugins enable and disable switch a plugin for a tenant; an unknown plugin is refused', async () => {
    const [{ id }] = await ownerQuery("select id from accounts where name = 'Acme'");
    const state = () => ownerQuery("select enabled, settings from tenant_plugins where account_id = $1 and plugin_id = 'notes'", [id]);

    const [enabled, unknown] = await Promise.all([
      cli('plugins', 'enable', 'Acme', 'notes', '--settings', '{"maxNotes": 5}'),
      cli('plugins', 'enable', 'Acme', 'nope'),
    ]);
    ok(enabled);
    assert.match(enabled.stdout, new RegExp(`^enabled notes for tenant ${id} "Acme"$`, 'm'));
    assert.deepEqual(await state(), [{ enabled: true, settings: { maxNotes: 5 } }]);

    ok(await cli('plugins', 'disable', id, 'notes'));
    assert.deepEqual(await state(), [{ enabled: false, settings: { maxNotes: 5 } }], 'settings survive a disable');

    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'markettina: plugin "nope" is not installed (installed: notes); add its package to "plugins" in the deployment configuration\n');
    assert.equal((await ownerQuery("select 1 from tenant_plugins where plugin_id = 'nope'")).length, 0);
  });

  test('an unknown command exits 2 with the usage text', async () => {
    const r = await cli('frobnicate');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^markettina: unknown command "frobnicate"$/m);
    assert.match(r.stderr, /^Usage: markettina <command> \[options\]$/m);
  });

  test('keygen prints a key set the kernel accepts', async () => {
    const r = await cli('keygen', '--id', 'k2');
    ok(r);
    const set = JSON.parse(r.stdout) as { keys: Record<string, string>; activeKeyId: string };
    assert.equal(set.activeKeyId, 'k2');
    const box = new AesGcmSecretBox(set.keys, set.activeKeyId);
    assert.equal(box.open(box.seal('secret')), 'secret');
  });
});
