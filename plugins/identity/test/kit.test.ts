import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { definePlugin, uuid } from '@markettina/sdk';
import type { TestKernel } from '@markettina/sdk/testing';
import { identityServices } from '../src/contracts.js';
import { startIdentityKit } from './fixtures/kit.js';
import { addUser } from './fixtures/people.js';

/** Another plugin, as its author would write it: it depends on identity's contract only. */
const directoryUser = definePlugin({
  manifest: { id: 'greeter', version: '1.0.0', kernel: '^1.0.0', requires: [identityServices.users], permissions: [{ id: 'greeter.greetings:read', description: 'Greet' }] },
  register(reg) {
    reg.routes(async (app) => {
      app.get(
        '/greetings/:userId',
        {
          config: { permission: 'greeter.greetings:read' },
          schema: { params: { type: 'object', properties: { userId: uuid }, required: ['userId'] }, response: { 200: { type: 'object', properties: { text: { type: 'string' } } } } },
        },
        async (req) => {
          const user = await req.ctx.get(identityServices.users).get((req.params as { userId: string }).userId);
          return { text: user ? `hello ${user.email} (${user.roleKey})` : 'hello stranger' };
        },
      );
    });
  },
});

describe('the test kit with identity installed', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startIdentityKit({ plugins: [directoryUser] });
  });
  after(() => kit?.close());

  test('tenant.as() issues a real API key through identity', async () => {
    const tenant = await kit.createTenant();
    const reader = tenant.as(['crm.leads:read']);
    assert.equal(reader.principal.type, 'api_key');
    assert.throws(() => reader.token, /asynchronously/);
    assert.equal((await reader.inject({ method: 'GET', url: '/v1/crm/leads' })).statusCode, 200);
    assert.equal((await reader.inject({ method: 'POST', url: '/v1/crm/leads', payload: {} })).statusCode, 403);
    assert.match(reader.token, /^mk_/);
    const who = (await reader.inject({ method: 'GET', url: '/v1/identity/me' })).json();
    assert.deepEqual([who.id, who.type, who.accountId], [reader.principal.id, 'api_key', tenant.accountId]);
    const keys = (await tenant.as(['identity.api-keys:read']).inject({ method: 'GET', url: '/v1/identity/api-keys' })).json().items as { id: string }[];
    assert.ok(keys.some((k) => k.id === reader.principal.id), 'it is an ordinary key of the account');
    assert.throws(() => tenant.as(['*'], undefined, 'admin'), /tenant credentials only/);
  });

  test('another plugin reads users through identity’s contract, inside its own tenant only', async () => {
    const a = await kit.createTenant();
    const b = await kit.createTenant();
    const alice = await addUser(a, 'sales', 'alice@a.example');
    const greet = (t: typeof a) => t.as(['greeter.greetings:read']).inject({ method: 'GET', url: `/v1/greeter/greetings/${alice.id}` });
    assert.equal((await greet(a)).json().text, 'hello alice@a.example (sales)');
    assert.equal((await greet(b)).json().text, 'hello stranger');
  });
});
