import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '@markettina/kernel';

describe('deployment configuration', () => {
  test('PORT, HOST and DATABASE_URL override the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-config-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ server: { port: 4000, host: '0.0.0.0' }, database: { url: 'postgres://file/db' } }));
    const fromFile = loadConfig({ file, env: {} });
    assert.equal(fromFile.server.port, 4000);
    assert.equal(fromFile.database.url, 'postgres://file/db');
    const withEnv = loadConfig({ file, env: { PORT: '5000', HOST: '127.0.0.2', DATABASE_URL: 'postgres://env/db' } });
    assert.equal(withEnv.server.port, 5000);
    assert.equal(withEnv.server.host, '127.0.0.2');
    assert.equal(withEnv.database.url, 'postgres://env/db');
    assert.equal(withEnv.database.pool.max, 10, 'unrelated defaults survive the merge');
  });

  test('plugins may be listed by package name or with config', () => {
    const cfg = loadConfig({ env: {}, overrides: { plugins: ['@markettina/plugin-a', { package: '@markettina/plugin-b', config: { x: 1 } }] } });
    assert.deepEqual(cfg.plugins, [
      { package: '@markettina/plugin-a', config: {} },
      { package: '@markettina/plugin-b', config: { x: 1 } },
    ]);
  });

  test('invalid configuration fails with the path of each problem', () => {
    assert.throws(
      () => loadConfig({ env: { PORT: 'eighty' } }),
      (err: ConfigError) => err.code === 'CONFIG_INVALID' && /\/server\/port must be integer/.test(err.message),
    );
    assert.throws(
      () => loadConfig({ env: {}, overrides: { sever: {} } }),
      (err: ConfigError) => err.code === 'CONFIG_INVALID' && /additional properties/.test(err.message),
    );
  });

  test('an unreadable file is reported by name', () => {
    assert.throws(() => loadConfig({ file: '/nonexistent/markettina.json', env: {} }), /cannot read configuration file \/nonexistent\/markettina.json/);
  });
});
