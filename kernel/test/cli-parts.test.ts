import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ProblemError, type AccountRecord } from '@markettina/sdk';
import { planAppRole, type AppRoleState } from '../src/cli/app-role.js';
import { parseCommandLine } from '../src/cli/args.js';
import { CliError, UsageError, type Command } from '../src/cli/command.js';
import { describeError } from '../src/cli/errors.js';
import { defaultKeyId, keySet } from '../src/cli/keygen.js';
import { formatTable } from '../src/cli/output.js';
import { parseSettings, tenantPluginRows } from '../src/cli/plugins.js';
import { pickTenant } from '../src/cli/tenant-ref.js';
import { COMMANDS } from '../src/cli/main.js';

describe('command line parsing', () => {
  const names = (argv: string[]) => parseCommandLine(COMMANDS, argv);

  test('picks the command from its words wherever the options are', () => {
    const r = names(['--config', 'x.json', 'tenants', 'create', 'Acme', '--plan', 'pro']);
    assert.equal(r.command?.name, 'tenants create');
    assert.deepEqual(r.args, ['Acme']);
    assert.equal(r.values.plan, 'pro');
    assert.equal(r.values.config, 'x.json');
  });

  test('a tenant may be named like a subcommand', () => {
    const r = names(['tenants', 'create', 'list']);
    assert.equal(r.command?.name, 'tenants create');
    assert.deepEqual(r.args, ['list']);
  });

  test('no words means no command (the caller prints the usage)', () => {
    assert.equal(names([]).command, undefined);
    assert.equal(names(['--help']).values.help, true);
  });

  const usage = (argv: string[]): UsageError => {
    try {
      names(argv);
    } catch (err) {
      assert.ok(err instanceof UsageError, String(err));
      return err;
    }
    assert.fail(`"${argv.join(' ')}" should be a usage error`);
  };

  test('unknown commands, missing subcommands, foreign options and wrong arity are usage errors', () => {
    assert.match(usage(['frobnicate']).message, /unknown command "frobnicate"/);
    assert.match(usage(['tenants']).message, /"tenants" needs a subcommand: create, list/);
    assert.match(usage(['plugins', 'remove']).message, /"plugins" has no subcommand "remove": list, enable, disable/);
    const foreign = usage(['tenants', 'list', '--plan', 'pro']);
    assert.match(foreign.message, /tenants list: Unknown option '--plan'$/);
    assert.equal(foreign.command?.name, 'tenants list', 'the synopsis shown is the command’s own');
    assert.match(usage(['plugins', 'enable', 'acme']).message, /wrong number of arguments \(got 1\)/);
    assert.match(usage(['migrate', 'now']).message, /wrong number of arguments/);
  });

  test('every command has a unique name and options that do not clash in type', () => {
    const seen = new Map<string, string>();
    for (const c of COMMANDS as Command[]) {
      for (const [name, opt] of Object.entries(c.options ?? {})) {
        assert.ok(!seen.has(name) || seen.get(name) === opt.type, `option --${name} has two types`);
        seen.set(name, opt.type);
      }
    }
    assert.equal(new Set(COMMANDS.map((c) => c.name)).size, COMMANDS.length);
  });
});

describe('error reports', () => {
  test('usage errors exit 2 with usage; operator errors exit 1 on one line', () => {
    assert.deepEqual(describeError(new UsageError('bad')), { message: 'bad', exitCode: 2, showUsage: true });
    assert.deepEqual(describeError(new CliError('X', 'line one\n  line two')), { message: 'line one line two', exitCode: 1, showUsage: false });
    const problem = new ProblemError({ status: 404, code: 'PLUGIN_NOT_INSTALLED', title: 'Plugin not installed', detail: 'no installed plugin has id "x"' });
    assert.equal(describeError(problem).message, 'no installed plugin has id "x" (PLUGIN_NOT_INSTALLED)');
  });

  test('database failures say what to do', () => {
    const refused = Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 5432 })]), { code: 'ECONNREFUSED' });
    assert.match(describeError(refused).message, /cannot reach PostgreSQL at 127\.0\.0\.1:5432 \(connection refused\).*DATABASE_URL/);
    assert.match(describeError(Object.assign(new Error('relation "accounts" does not exist'), { code: '42P01' })).message, /not migrated.*run: markettina migrate/);
    assert.match(describeError(Object.assign(new Error('password authentication failed for user "x"'), { code: '28P01' })).message, /rejected the credentials/);
    assert.equal(describeError(new Error('something else')).message, 'something else');
  });
});

describe('app role plan for migrate with DATABASE_URL', () => {
  const base: AppRoleState = { role: 'markettina_app', owner: 'owner', exists: true, superuser: false, bypassRls: false, ownerCanCreateRoles: false, passwordConfigured: true };

  test('a safe existing role is kept, whoever the owner is', () => {
    assert.deepEqual(planAppRole(base), { action: 'keep' });
    assert.deepEqual(planAppRole({ ...base, passwordConfigured: false }), { action: 'keep' });
  });

  test('a role that bypasses row level security is refused with the fix', () => {
    const plan = planAppRole({ ...base, bypassRls: true, ownerCanCreateRoles: true });
    assert.equal(plan.action, 'refuse');
    assert.match(plan.action === 'refuse' ? plan.reason : '', /ALTER ROLE "markettina_app" NOSUPERUSER NOBYPASSRLS;/);
    assert.equal(planAppRole({ ...base, superuser: true }).action, 'refuse');
  });

  test('a missing role is created when the owner may, else the DBA statement is given', () => {
    assert.deepEqual(planAppRole({ ...base, exists: false, ownerCanCreateRoles: true }), { action: 'create' });
    const dba = planAppRole({ ...base, exists: false });
    assert.equal(dba.action === 'refuse' && dba.code, 'APP_ROLE_MISSING');
    assert.match(dba.action === 'refuse' ? dba.reason : '', /CREATE ROLE "markettina_app" LOGIN NOSUPERUSER NOBYPASSRLS .*PASSWORD '<DATABASE_APP_PASSWORD>'/);
    const noPassword = planAppRole({ ...base, exists: false, ownerCanCreateRoles: true, passwordConfigured: false });
    assert.equal(noPassword.action === 'refuse' && noPassword.code, 'DATABASE_APP_PASSWORD_MISSING');
  });
});

describe('output and arguments', () => {
  test('tables align columns and say so when empty', () => {
    assert.equal(formatTable(['ID', 'NAME'], [['1', 'Acme'], ['22', 'B']]), 'ID  NAME\n1   Acme\n22  B');
    assert.equal(formatTable(['ID'], [], 'nothing here'), 'nothing here');
  });

  const account = (id: string, name: string): AccountRecord => ({ id, name, planTier: 'free', status: 'active', parentId: null, settings: {}, createdAt: '' });
  const a = account('6f1c1a52-7a5e-4d43-9b0e-0e3c2c0f8a01', 'Acme');
  const b = account('6f1c1a52-7a5e-4d43-9b0e-0e3c2c0f8a02', 'Twin');
  const c = account('6f1c1a52-7a5e-4d43-9b0e-0e3c2c0f8a03', 'Twin');

  test('a tenant is found by id (any case) or by a unique exact name', () => {
    assert.equal(pickTenant([a, b], a.id.toUpperCase()), a);
    assert.equal(pickTenant([a, b], 'Acme'), a);
    assert.throws(() => pickTenant([a], 'acme'), (e: CliError) => e.code === 'TENANT_NOT_FOUND');
    assert.throws(() => pickTenant([a, b, c], 'Twin'), (e: CliError) => e.code === 'TENANT_AMBIGUOUS' && e.message.includes(b.id) && e.message.includes(c.id));
  });

  test('tenant plugin rows cover every installed plugin and keep leftovers of removed ones', () => {
    const rows = tenantPluginRows(
      [{ id: 'notes', version: '1.0.0' }, { id: 'crm', version: '2.0.0' }],
      [{ pluginId: 'notes', enabled: true, settings: { a: 1 } }, { pluginId: 'gone', enabled: true, settings: {} }],
    );
    assert.deepEqual(rows, [
      { id: 'notes', version: '1.0.0', installed: true, enabled: true, settings: { a: 1 } },
      { id: 'crm', version: '2.0.0', installed: true, enabled: false, settings: {} },
      { id: 'gone', version: null, installed: false, enabled: true, settings: {} },
    ]);
  });

  test('--settings must be a JSON object', () => {
    assert.deepEqual(parseSettings('{"a":1}'), { a: 1 });
    assert.equal(parseSettings(undefined), undefined);
    assert.throws(() => parseSettings('{a:1}'), UsageError);
    assert.throws(() => parseSettings('[1]'), /must be a JSON object/);
  });

  test('keygen ids are date based and must be usable as key ids', () => {
    assert.equal(defaultKeyId(new Date('2026-11-22T23:59:00Z')), 'k20261122');
    assert.deepEqual(keySet('k1', 'K'), { keys: { k1: 'K' }, activeKeyId: 'k1' });
    assert.throws(() => keySet('a.b', 'K'), UsageError);
  });
});
