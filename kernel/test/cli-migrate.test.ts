import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { withCredentials } from '@markettina/kernel';
import { testCluster, type ClusterInfo } from '@markettina/sdk/testing';
import { runCli } from '../src/cli/main.js';
import { cliEnv, workDir } from './fixtures/cli.js';

async function query(url: string, sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** `migrate` with DATABASE_URL on a fresh database whose owner may or may not create roles. */
describe('markettina migrate and the app role', () => {
  const hex = randomBytes(4).toString('hex');
  const owner = `cli_owner_${hex}`;
  const appRole = `cli_app_${hex}`;
  const database = `cli_${hex}`;
  const appPassword = `app-${randomBytes(9).toString('hex')}`;
  let cluster: ClusterInfo;
  let dir: string;
  let ownerUrl: string;

  const migrate = async (env: Record<string, string>) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    const code = await runCli(['migrate', '--config', join(dir, 'markettina.config.json')], { env: cliEnv(env), io });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };

  before(async () => {
    cluster = await testCluster();
    await query(cluster.superuserUrl, `create role ${owner} login createrole password '${hex}'`);
    await query(cluster.superuserUrl, `create database ${database} owner ${owner}`);
    ownerUrl = withCredentials(cluster.superuserUrl, owner, hex, database);
    dir = workDir({ database: { appRole }, plugins: [] });
  });
  after(async () => {
    if (cluster) {
      await query(cluster.superuserUrl, `drop database if exists ${database} with (force)`);
      await query(cluster.superuserUrl, `drop role if exists ${appRole}`);
      await query(cluster.superuserUrl, `drop role if exists ${owner}`);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('an owner that may not create roles is told the statement a DBA must run, and nothing is migrated', async () => {
    const notAllowed = withCredentials(cluster.superuserUrl, 'markettina_owner', cluster.ownerPassword, database);
    const r = await migrate({ DATABASE_URL: notAllowed, DATABASE_APP_PASSWORD: appPassword });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `markettina: the app role "${appRole}" does not exist and "markettina_owner" may not create roles; a DBA must run: ` +
        `CREATE ROLE "${appRole}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '<DATABASE_APP_PASSWORD>'; then run "markettina migrate" again`,
    );
    assert.ok(!r.stderr.includes(appPassword), 'the password is never printed');
    assert.deepEqual(await query(ownerUrl, "select to_regclass('accounts') as t"), [{ t: null }]);
  });

  test('without DATABASE_APP_PASSWORD the missing app role cannot be created', async () => {
    const r = await migrate({ DATABASE_URL: ownerUrl });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^markettina: the app role "cli_app_\w+" does not exist yet; set DATABASE_APP_PASSWORD/);
  });

  test('an owner with CREATEROLE creates a restricted app role, migrates, and the app role can serve', async () => {
    const r = await migrate({ DATABASE_URL: ownerUrl, DATABASE_APP_PASSWORD: appPassword });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^created app role ${appRole}$`, 'm'));
    assert.match(r.stdout, /^migrated kernel\/\d{8}_0001_tenancy$/m);

    const [role] = await query(cluster.superuserUrl, 'select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolcanlogin from pg_roles where rolname = $1', [appRole]);
    assert.deepEqual(role, { rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, rolcanlogin: true });
    const appUrl = withCredentials(cluster.superuserUrl, appRole, appPassword, database);
    assert.deepEqual(await query(appUrl, 'select count(*)::int as n from accounts'), [{ n: 0 }]);
    await assert.rejects(query(appUrl, 'create table intruder (id int)'), /permission denied/);

    const again = await migrate({ DATABASE_URL: ownerUrl, DATABASE_APP_PASSWORD: appPassword });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'database is up to date (kernel)');
  });
});
