import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestKernel, TestTenant } from '@markettina/sdk/testing';
import { eventsOf } from './fixtures/admins.js';
import { as, startIdentityKit } from './fixtures/kit.js';
import { addUser, login, me } from './fixtures/people.js';

describe('accounts: sub-accounts and the explicit switch', () => {
  let kit: TestKernel;
  let agency: TestTenant;
  before(async () => {
    kit = await startIdentityKit();
    agency = await kit.createTenant({ name: 'Agency', planTier: 'enterprise' });
  });
  after(() => kit?.close());

  const createChild = async (name: string) => {
    const res = await agency.as(['identity.accounts:write']).inject({ method: 'POST', url: '/v1/identity/accounts', payload: { name } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; parentId: string; planTier: string };
  };
  const switchInto = (token: string, childId: string) => as(kit, token)({ method: 'POST', url: `/v1/identity/accounts/${childId}/switch` });
  const switches = (accountId: string) => kit.kernel.tenancy.withTenant(accountId, (db) => db('identity_account_switches').select('direction', 'other_account_id', 'actor_id', 'actor_type'));

  test('a sub-account takes the parent’s plan, is listed as its child and announced with AccountCreated', async () => {
    const child = await createChild('Client A');
    assert.equal(child.parentId, agency.accountId);
    assert.equal(child.planTier, 'enterprise');
    const listed = await agency.as(['identity.accounts:read']).inject({ method: 'GET', url: '/v1/identity/accounts' });
    assert.ok((listed.json().items as { id: string }[]).some((a) => a.id === child.id));
    assert.deepEqual((await eventsOf(kit, child.id, 'identity.AccountCreated')).map((e) => e.parentId), [agency.accountId]);
    const denied = await agency.as(['identity.accounts:read']).inject({ method: 'POST', url: '/v1/identity/accounts', payload: { name: 'x' } });
    assert.equal(denied.statusCode, 403);
  });

  test('a parent user acts in a child only through a switch, recorded on both sides', async () => {
    const child = await createChild('Client B');
    const manager = await addUser(agency, 'admin');
    const { accessToken } = await login(kit, manager);
    assert.equal((await me(kit, accessToken)).json().accountId, agency.accountId, 'the parent’s token stays in the parent');

    const res = await switchInto(accessToken, child.id);
    assert.equal(res.statusCode, 200, res.body);
    const switched = res.json().accessToken as string;
    const who = (await me(kit, switched)).json();
    assert.deepEqual([who.id, who.type, who.accountId], [manager.id, 'user', child.id]);
    const acct = await as(kit, switched)({ method: 'GET', url: '/v1/identity/account' });
    assert.equal(acct.json().id, child.id);

    assert.deepEqual(await switches(agency.accountId).then((r) => r.filter((s: { other_account_id: string }) => s.other_account_id === child.id)), [
      { direction: 'to_child', other_account_id: child.id, actor_id: manager.id, actor_type: 'user' },
    ]);
    assert.deepEqual(await switches(child.id), [{ direction: 'from_parent', other_account_id: agency.accountId, actor_id: manager.id, actor_type: 'user' }]);

    await agency.as(['*']).inject({ method: 'DELETE', url: `/v1/identity/users/${manager.id}/sessions` });
    assert.equal((await me(kit, switched)).statusCode, 401, 'ending the parent session ends the switched token');
  });

  test('an API key of the parent can switch too; a switched token cannot switch again', async () => {
    const child = await createChild('Client C');
    const key = await agency.as(['identity.accounts:switch', 'identity.accounts:write', 'identity.account:read']).ready();
    const res = await switchInto(key.token, child.id);
    assert.equal(res.statusCode, 200, res.body);
    const switched = res.json().accessToken as string;
    assert.equal((await me(kit, switched)).json().accountId, child.id);
    const grandchild = await as(kit, switched)({ method: 'POST', url: '/v1/identity/accounts', payload: { name: 'Grandchild' } });
    assert.equal(grandchild.statusCode, 201);
    const again = await switchInto(switched, grandchild.json().id);
    assert.equal(again.statusCode, 403);
    assert.equal(again.json().code, 'SWITCH_NOT_ALLOWED');
  });

  test('no switch into an account that is not a direct child', async () => {
    const stranger = await kit.createTenant({ name: 'Stranger' });
    const sibling = await kit.createTenant({ name: 'Other agency' });
    const theirChild = await sibling.as(['identity.accounts:write']).inject({ method: 'POST', url: '/v1/identity/accounts', payload: { name: 'Not yours' } });
    const key = await agency.as(['identity.accounts:switch']).ready();
    for (const target of [stranger.accountId, theirChild.json().id, agency.accountId, '00000000-0000-4000-8000-000000000000']) {
      const res = await switchInto(key.token, target);
      assert.equal(res.statusCode, 404, target);
    }
    const viewer = await agency.as(['identity.account:read']).ready();
    const child = await createChild('Client D');
    assert.equal((await switchInto(viewer.token, child.id)).statusCode, 403, 'switching needs identity.accounts:switch');
  });
});
