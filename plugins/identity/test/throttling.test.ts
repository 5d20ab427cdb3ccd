import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { TestKernel } from '@markettina/sdk/testing';
import { startIdentityKit } from './fixtures/kit.js';
import { addUser, login } from './fixtures/people.js';

const PER_EMAIL = 3;
const PER_ACCOUNT = 8;

function assertThrottled(res: LightMyRequestResponse, what: string) {
  assert.equal(res.statusCode, 429, `${what}: ${res.body}`);
  assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
  assert.equal(res.json().code, 'LOGIN_THROTTLED');
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${res.headers['retry-after']}`);
}

describe('login throttling', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startIdentityKit({ config: { login: { perAccount: { limit: PER_ACCOUNT, windowSeconds: 3600 }, perEmail: { limit: PER_EMAIL, windowSeconds: 3600 } } } });
  });
  after(() => kit?.close());

  const attempt = (accountId: string, email: string, password: string, extra: object = {}) =>
    kit.inject({ method: 'POST', url: '/v1/identity/sessions', payload: { accountId, email, password, ...extra } });

  test('per email: after the budget even the right password gets 429, other users of the account do not', async () => {
    const tenant = await kit.createTenant();
    const alice = await addUser(tenant, 'viewer');
    const bob = await addUser(tenant, 'viewer');
    for (let i = 0; i < PER_EMAIL; i++) assert.equal((await attempt(tenant.accountId, alice.email, 'wrong password guess')).statusCode, 401);
    assertThrottled(await attempt(tenant.accountId, alice.email, alice.password), 'alice, right password');
    assertThrottled(await attempt(tenant.accountId, alice.email.toUpperCase(), alice.password), 'the same email in other case');
    assert.equal((await attempt(tenant.accountId, bob.email, bob.password)).statusCode, 200, 'bob is not affected');
  });

  test('per account: many emails exhaust the account budget; other accounts are not affected', async () => {
    const tenant = await kit.createTenant();
    const other = await kit.createTenant();
    const carol = await addUser(other, 'viewer');
    for (let i = 0; i < PER_ACCOUNT; i++) assert.equal((await attempt(tenant.accountId, `guess-${i}@example.com`, 'wrong password guess')).statusCode, 401);
    assertThrottled(await attempt(tenant.accountId, 'fresh@example.com', 'wrong password guess'), 'a fresh email in the same account');
    assert.equal((await attempt(other.accountId, carol.email, carol.password)).statusCode, 200);
  });

  test('a trusted device keeps its own budget while the email is under attack', async () => {
    const tenant = await kit.createTenant();
    const dana = await addUser(tenant, 'viewer');
    const { deviceToken } = await login(kit, dana, { trustDevice: true, deviceName: 'laptop' });
    assert.ok(deviceToken?.startsWith('mkd_'));
    for (let i = 0; i < PER_EMAIL; i++) await attempt(tenant.accountId, dana.email, 'attacker guess 123');
    assertThrottled(await attempt(tenant.accountId, dana.email, dana.password), 'without the device');
    assert.equal((await attempt(tenant.accountId, dana.email, dana.password, { deviceToken })).statusCode, 200, 'from the trusted device');

    const owner = tenant.as(['identity.users:read', 'identity.users:write']);
    const devices = (await owner.inject({ method: 'GET', url: `/v1/identity/users/${dana.id}/devices` })).json().items as { id: string; name: string }[];
    assert.deepEqual(devices.map((d) => d.name), ['laptop']);
    assert.equal((await owner.inject({ method: 'DELETE', url: `/v1/identity/users/${dana.id}/devices/${devices[0]!.id}` })).statusCode, 204);
    assertThrottled(await attempt(tenant.accountId, dana.email, dana.password, { deviceToken }), 'a revoked device is no longer trusted');
  });
});
