import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AesGcmSecretBox, migrationUnits } from '@markettina/kernel';
import { createTestDatabase, type TestDatabase } from '@markettina/sdk/testing';
import { runCli } from '../src/cli/main.js';
import { cliEnv, NOTES_PLUGIN, workDir } from './fixtures/cli.js';

/** The commands' details, run in this process (one kernel import) against a server database. */
describe('markettina commands in detail', () => {
  let db: TestDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const cli = async (argv: string[], withEnv: NodeJS.ProcessEnv = env) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    const code = await runCli(argv, { env: { MARKETTINA_CONFIG: join(dir, 'markettina.config.json'), ...withEnv }, io });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };
  const failure = (r: { code: number; stderr: string }, code: number, pattern: RegExp) => {
    assert.equal(r.code, code, r.stderr);
    assert.match(r.stderr.split('\n')[0]!, pattern);
  };

  before(async () => {
    db = await createTestDatabase(migrationUnits([]));
    dir = workDir({ plugins: [NOTES_PLUGIN] });
    env = cliEnv({
      DATABASE_URL: db.ownerUrl,
      DATABASE_APP_PASSWORD: decodeURIComponent(new URL(db.appUrl).password),
      MARKETTINA_SECRET_KEYS: JSON.stringify({ keys: { k1: AesGcmSecretBox.generateKey() }, activeKeyId: 'k1' }),
    });
  });
  after(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('tenants: a parent is given by name, the table shows the hierarchy, names must be unique to be used', async () => {
    assert.equal((await cli(['tenants', 'list'])).stdout, 'no tenants yet; create one with: markettina tenants create <name>');
    const agency = JSON.parse((await cli(['tenants', 'create', 'Agency', '--plan', 'enterprise', '--json'])).stdout) as { id: string };
    const client = await cli(['tenants', 'create', 'Client', '--parent', 'Agency']);
    assert.equal(client.code, 0, client.stderr);
    assert.match(client.stdout, new RegExp(`"Client" \\(plan free, parent ${agency.id}\\)`));

    const table = (await cli(['tenants', 'list'])).stdout.split('\n');
    assert.match(table[1]!, new RegExp(`^${agency.id}\\s+Agency\\s+enterprise\\s+active\\s+-\\s+\\d{4}-`));
    assert.match(table[2]!, new RegExp(`Client\\s+free\\s+active\\s+${agency.id}\\s`));

    await cli(['tenants', 'create', 'Client']);
    failure(await cli(['plugins', 'list', 'Client']), 1, /2 tenants are named "Client"; use an id/);
  });

  test('tenants create refuses bad input without creating anything', async () => {
    const before = JSON.parse((await cli(['tenants', 'list', '--json'])).stdout) as unknown[];
    failure(await cli(['tenants', 'create', 'X', '--plan', 'gold']), 2, /--plan must be one of free, starter, pro, enterprise/);
    failure(await cli(['tenants', 'create', 'X', '--parent', 'Nobody']), 1, /no tenant has the id or name "Nobody"/);
    failure(await cli(['tenants', 'create', 'x'.repeat(201)]), 2, /1 to 200 characters/);
    assert.equal((JSON.parse((await cli(['tenants', 'list', '--json'])).stdout) as unknown[]).length, before.length);
  });

  test('plugins: settings are validated by the plugin schema; the table shows state per tenant', async () => {
    failure(await cli(['plugins', 'enable', 'Agency', 'notes', '--settings', '{"maxNotes": "many"}']), 1, /settings for "notes" are invalid: .*\(PLUGIN_SETTINGS_INVALID\)/);
    failure(await cli(['plugins', 'enable', 'Agency', 'notes', '--settings', '{maxNotes: 1']), 2, /--settings is not valid JSON/);
    failure(await cli(['plugins', 'disable', 'Agency', 'crm']), 1, /plugin "crm" is not installed \(installed: notes\)/);
    assert.match((await cli(['plugins', 'list', 'Agency'])).stdout, /^notes\s+1\.0\.0\s+no\s+\{\}$/m);
    assert.equal((await cli(['plugins', 'enable', 'Agency', 'notes', '--settings', '{"maxNotes": 2}'])).code, 0);
    assert.match((await cli(['plugins', 'list', 'Agency'])).stdout, /^ID\s+VERSION\s+ENABLED\s+SETTINGS\nnotes\s+1\.0\.0\s+yes\s+\{"maxNotes":2\}$/);
  });

  test('plugins list without a tenant reads only the deployment config', async () => {
    const offline = cliEnv({ DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none' });
    const r = await cli(['plugins', 'list', '--json'], offline);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [{ id: 'notes', version: '1.0.0', package: NOTES_PLUGIN, description: 'Test fixture: notes' }]);
  });

  test('operational failures are one line naming the fix', async () => {
    const offline = { ...env, DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none' };
    const refused = await cli(['tenants', 'list'], offline);
    failure(refused, 1, /^markettina: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(connection refused\); is it running\? check DATABASE_URL$/);
    assert.equal(refused.stderr.split('\n').length, 1);
    const { MARKETTINA_SECRET_KEYS: _, ...noKeys } = env;
    failure(await cli(['tenants', 'list'], noKeys), 1, /no encryption key configured: set MARKETTINA_SECRET_KEYS.*markettina keygen/);
    failure(await cli(['tenants', 'list'], { ...env, MARKETTINA_CONFIG: '/nonexistent.json' }), 1, /cannot read configuration file/);
  });

  test('help lists every command; --help on a command shows its synopsis', async () => {
    const help = await cli(['help']);
    for (const c of ['start', 'migrate', 'tenants create <name>', 'tenants list', 'plugins list', 'plugins enable <tenant> <plugin>', 'plugins disable', 'keygen']) {
      assert.ok(help.stdout.includes(`  ${c}`), `help mentions ${c}`);
    }
    const one = await cli(['plugins', 'enable', '--help']);
    assert.equal(one.code, 0);
    assert.match(one.stdout, /^Usage: markettina plugins enable <tenant> <plugin> \[--settings <json>\]/);
  });
});
