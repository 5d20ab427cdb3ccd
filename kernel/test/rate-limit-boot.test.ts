import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { routeBootError } from './fixtures/route-boot.js';

describe('rate-limit policy at boot', () => {
  test('a class the deployment does not define fails boot, naming plugin, route and class', async () => {
    const err = await routeBootError({ method: 'POST', url: '/things', config: { rateLimit: 'writes' } });
    assert.equal(err?.code, 'PLUGIN_UNKNOWN_RATE_LIMIT_CLASS');
    assert.equal(err?.pluginId, 'shop');
    assert.match(err!.message, /POST \/things.*"writes".*rateLimits\.classes/);
  });

  test('a public route cannot declare a per-tenant rate limit', async () => {
    const err = await routeBootError({ method: 'POST', url: '/login', config: { auth: 'none', rateLimit: 'write' } });
    assert.equal(err?.code, 'PLUGIN_POLICY_NEEDS_AUTH');
  });

  test('a configured class boots', async () => {
    assert.equal(await routeBootError({ method: 'POST', url: '/things', config: { rateLimit: 'write' } }), undefined);
  });
});
