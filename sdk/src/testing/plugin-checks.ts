import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkTenantSchema } from './schema-check.js';
import { runBadInputCheck } from './bad-input.js';
import { startTestKernel, type TestKernel, type TestKernelOptions } from './test-kernel.js';

/**
 * The two checks every plugin gets for free. Call it at the top level of a test file:
 *
 *   pluginChecks({ plugins: [myPlugin] });
 */
export function pluginChecks(options: TestKernelOptions & { pluginIds?: string[] }): void {
  describe('plugin checks', () => {
    let kit: TestKernel;
    before(async () => {
      kit = await startTestKernel(options);
    });
    after(() => kit?.close());

    test('schema check: every tenant table is isolated by account_id', async () => {
      assert.deepEqual(await checkTenantSchema(kit.database.ownerUrl), []);
    });

    test('bad-input check: requests that violate a route schema get a 4xx problem+json', async () => {
      const tenant = await kit.createTenant();
      const ids = options.pluginIds ?? options.plugins.map((p) => ('definition' in p ? p.definition : p).manifest.id);
      const { checked, failures } = await runBadInputCheck(kit.kernel.host.routes, tenant.as(['*']), ids);
      assert.ok(checked > 0 || kit.kernel.host.routes.every((r) => !ids.includes(r.pluginId)), 'no bad-input case was generated');
      assert.deepEqual(failures, []);
    });
  });
}
