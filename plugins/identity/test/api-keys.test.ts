import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Kernel } from '@markettina/kernel';
import type { TestKernel, TestTenant } from '@markettina/sdk/testing';
import { bearer, startIdentityKit } from './fixtures/kit.js';

describe('API keys', () => {
  let kit: TestKernel;
  let nodeB: Kernel;
  let tenant: TestTenant;
  before(async () => {
    kit = await startIdentityKit();
    nodeB = await kit.startNode();
    tenant = await kit.createTenant();
  });
  after(() => kit?.close());

  const create = (payload: object, perms = ['*']) => tenant.as(perms).inject({ method: 'POST', url: '/v1/identity/api-keys', payload });

  test('a key is shown once, stored hashed, listed by its prefix', async () => {
    const res = await create({ name: 'CI', scopes: ['crm.leads:read'] });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const { key, apiKey } = res.json();
    assert.match(key, /^mk_[A-Za-z0-9_-]{86}$/);
    assert.equal(apiKey.prefix, key.slice(0, 11));
    const listed = await tenant.as(['identity.api-keys:read']).inject({ method: 'GET', url: '/v1/identity/api-keys' });
    const shown = (listed.json().items as { id: string }[]).find((k) => k.id === apiKey.id)!;
    assert.deepEqual(Object.keys(shown).sort(), ['createdAt', 'createdBy', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'scopes']);
    assert.ok(!listed.body.includes(key.slice(11)), 'the secret never comes back');

    const [row] = await kit.kernel.tenancy.withTenant(tenant.accountId, (db) => db('identity_api_keys').where({ id: apiKey.id }).select('secret_hash'));
    assert.equal(row.secret_hash.length, 32, 'a SHA-256, not the key');
    assert.ok(!row.secret_hash.toString('base64url').includes(key.slice(-20)));
  });

  test('a key works with its scopes only, and records when it was used', async () => {
    const { key, apiKey } = (await create({ name: 'reader', scopes: ['crm.leads:read'] })).json();
    assert.equal((await kit.inject({ method: 'GET', url: '/v1/crm/leads', headers: bearer(key) })).statusCode, 200);
    const denied = await kit.inject({ method: 'POST', url: '/v1/crm/leads', headers: bearer(key) });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().code, 'PERMISSION_DENIED');
    const listed = (await tenant.as(['identity.api-keys:read']).inject({ method: 'GET', url: '/v1/identity/api-keys' })).json().items as { id: string; lastUsedAt: string | null }[];
    assert.ok(listed.find((k) => k.id === apiKey.id)!.lastUsedAt);
  });

  test('revocation is effective at once on every node', async () => {
    const { key, apiKey } = (await create({ name: 'revoke me', scopes: ['crm.*'] })).json();
    const onB = () => nodeB.app.inject({ method: 'GET', url: '/v1/crm/leads', headers: bearer(key) });
    assert.equal((await onB()).statusCode, 200, 'node B accepts the key');
    const revoked = await tenant.as(['identity.api-keys:write']).inject({ method: 'DELETE', url: `/v1/identity/api-keys/${apiKey.id}` });
    assert.equal(revoked.statusCode, 200);
    assert.ok(revoked.json().revokedAt);
    const after = await onB();
    assert.equal(after.statusCode, 401, 'node B refuses it with the very next request');
    assert.equal(after.json().code, 'INVALID_CREDENTIALS');
    assert.equal((await kit.inject({ method: 'GET', url: '/v1/crm/leads', headers: bearer(key) })).statusCode, 401);
  });

  test('expired keys stop working; an expiry must be in the future', async () => {
    const past = await create({ name: 'old', scopes: ['crm.leads:read'], expiresAt: new Date(Date.now() - 1000).toISOString() });
    assert.equal(past.statusCode, 422);
    assert.equal(past.json().code, 'EXPIRY_IN_PAST');
    const { key, apiKey } = (await create({ name: 'short', scopes: ['crm.leads:read'], expiresAt: new Date(Date.now() + 60_000).toISOString() })).json();
    assert.equal((await kit.inject({ method: 'GET', url: '/v1/crm/leads', headers: bearer(key) })).statusCode, 200);
    await kit.kernel.tenancy.withTenant(tenant.accountId, (db) => db('identity_api_keys').where({ id: apiKey.id }).update({ expires_at: db.raw("now() - interval '1 second'") }));
    assert.equal((await kit.inject({ method: 'GET', url: '/v1/crm/leads', headers: bearer(key) })).statusCode, 401);
  });

  test('a key holds only what its creator holds, and never a platform permission', async () => {
    const wider = await create({ name: 'wider', scopes: ['crm.leads:write'] }, ['identity.api-keys:write', 'crm.leads:read']);
    assert.equal(wider.statusCode, 403);
    assert.equal(wider.json().code, 'PERMISSION_ESCALATION');
    const star = await create({ name: 'star', scopes: ['*'] }, ['identity.api-keys:write', 'crm.*']);
    assert.equal(star.statusCode, 403);
    const narrower = await create({ name: 'narrower', scopes: ['crm.leads:read'] }, ['identity.api-keys:write', 'crm.*']);
    assert.equal(narrower.statusCode, 201);
    const platform = await create({ name: 'platform', scopes: ['identity.platform:admin'] });
    assert.equal(platform.statusCode, 422);
    assert.equal(platform.json().code, 'SCOPES_INVALID');
  });

  test('a key of another account, a damaged key and a made-up key are all unknown', async () => {
    const { key } = (await create({ name: 'mine', scopes: ['crm.leads:read'] })).json();
    for (const bad of [key.slice(0, -1), `${key.slice(0, -2)}AA`, `mk_${'A'.repeat(86)}`]) {
      const res = await kit.inject({ method: 'GET', url: '/v1/crm/leads', headers: bearer(bad) });
      assert.equal(res.statusCode, 401, bad);
    }
  });
});
