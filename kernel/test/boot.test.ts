import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createServiceRef, definePlugin, PluginError, type PluginDefinition, type ServiceRef } from '@markettina/sdk';
import { loadConfig, resolvePlugins } from '@markettina/kernel';

const config = loadConfig({ env: {}, overrides: { plugins: [] } });

function plugin(id: string, opts: { provides?: ServiceRef<unknown>[]; requires?: ServiceRef<unknown>[]; kernel?: string; configSchema?: Record<string, unknown> } = {}): PluginDefinition {
  return definePlugin({
    manifest: { id, version: '1.0.0', kernel: opts.kernel ?? '^1.0.0', provides: opts.provides, requires: opts.requires },
    register(reg) {
      for (const ref of opts.provides ?? []) reg.provide(ref, () => ({}));
      if (opts.configSchema) reg.config({ deployment: opts.configSchema });
    },
  });
}

async function bootError(plugins: Parameters<typeof resolvePlugins>[1]): Promise<PluginError> {
  try {
    await resolvePlugins(config, plugins);
  } catch (err) {
    assert.ok(err instanceof PluginError, `expected a PluginError, got ${String(err)}`);
    return err;
  }
  assert.fail('boot should have failed');
}

describe('plugin boot checks', () => {
  const aRef = createServiceRef<object>({ id: 'alpha.things' });
  const bRef = createServiceRef<object>({ id: 'beta.things' });
  const cRef = createServiceRef<object>({ id: 'gamma.things' });

  test('orders providers before their users', async () => {
    const regs = await resolvePlugins(config, [
      plugin('gamma', { provides: [cRef], requires: [bRef] }),
      plugin('alpha', { provides: [aRef] }),
      plugin('beta', { provides: [bRef], requires: [aRef] }),
    ]);
    assert.deepEqual(regs.map((r) => r.id), ['alpha', 'beta', 'gamma']);
  });

  test('a dependency cycle fails boot and names every plugin in it', async () => {
    const err = await bootError([
      plugin('alpha', { provides: [aRef], requires: [cRef] }),
      plugin('beta', { provides: [bRef], requires: [aRef] }),
      plugin('gamma', { provides: [cRef], requires: [bRef] }),
    ]);
    assert.equal(err.code, 'PLUGIN_DEPENDENCY_CYCLE');
    assert.match(err.message, /alpha -> gamma -> beta -> alpha/);
  });

  test('a missing ref fails boot naming the plugin, the ref and the fix', async () => {
    const err = await bootError([plugin('beta', { provides: [bRef], requires: [aRef] })]);
    assert.equal(err.code, 'PLUGIN_MISSING_REF');
    assert.equal(err.pluginId, 'beta');
    assert.match(err.message, /plugin "beta" requires service "alpha.things".*install the plugin that provides/);
  });

  test('a kernel range the kernel does not satisfy fails boot', async () => {
    const err = await bootError([plugin('alpha', { kernel: '^2.0.0' })]);
    assert.equal(err.code, 'PLUGIN_KERNEL_RANGE_MISMATCH');
    assert.match(err.message, /plugin "alpha" supports kernel API \^2\.0\.0, but this kernel speaks 1\.\d+\.\d+/);
  });

  test('invalid plugin configuration fails boot with the schema error', async () => {
    const schema = { type: 'object', properties: { apiBase: { type: 'string', format: 'uri' } }, required: ['apiBase'], additionalProperties: false };
    const err = await bootError([{ definition: plugin('alpha', { configSchema: schema }), config: { apiBase: 42 } }]);
    assert.equal(err.code, 'PLUGIN_CONFIG_INVALID');
    assert.match(err.message, /plugin "alpha" has invalid configuration: \/apiBase must be string/);
    const ok = await resolvePlugins(config, [{ definition: plugin('alpha', { configSchema: schema }), config: { apiBase: 'https://example.org' } }]);
    assert.equal(ok[0]!.config.apiBase, 'https://example.org');
  });

  test('configuration given to a plugin without a schema is rejected', async () => {
    const err = await bootError([{ definition: plugin('alpha'), config: { surprise: true } }]);
    assert.equal(err.code, 'PLUGIN_CONFIG_INVALID');
  });

  test('the same plugin twice, or two providers of one ref, fail boot', async () => {
    assert.equal((await bootError([plugin('alpha'), plugin('alpha')])).code, 'PLUGIN_DUPLICATE');
    assert.equal((await bootError([plugin('alpha', { provides: [aRef] }), definePlugin({ manifest: { id: 'other', version: '1.0.0', kernel: '^1.0.0', provides: [aRef] }, register: (r) => r.provide(aRef, () => ({})) })])).code, 'PLUGIN_DUPLICATE_PROVIDER');
  });

  test('providing an undeclared ref, or declaring without providing, fails boot', async () => {
    const undeclared = definePlugin({ manifest: { id: 'alpha', version: '1.0.0', kernel: '^1.0.0' }, register: (r) => r.provide(aRef, () => ({})) });
    assert.equal((await bootError([undeclared])).code, 'PLUGIN_UNDECLARED_PROVIDE');
    const unfulfilled = definePlugin({ manifest: { id: 'alpha', version: '1.0.0', kernel: '^1.0.0', provides: [aRef] }, register: () => undefined });
    assert.equal((await bootError([unfulfilled])).code, 'PLUGIN_PROVIDE_MISSING');
  });

  test('an async register is refused: register only declares', async () => {
    const asyncPlugin = { manifest: { id: 'alpha', version: '1.0.0', kernel: '^1.0.0' }, register: async () => undefined } as unknown as PluginDefinition;
    assert.equal((await bootError([asyncPlugin])).code, 'PLUGIN_ASYNC_REGISTER');
  });

  test('an uninstalled package in the deployment config fails with the npm command to fix it', async () => {
    const cfg = loadConfig({ env: {}, overrides: { plugins: ['@markettina/plugin-does-not-exist'] } });
    await assert.rejects(resolvePlugins(cfg), (err: PluginError) => err.code === 'PLUGIN_NOT_INSTALLED' && /npm install @markettina\/plugin-does-not-exist/.test(err.message));
  });

  test('definePlugin refuses ids that are not kebab-case', () => {
    assert.throws(() => plugin('Not_Kebab'), /kebab-case/);
  });
});
