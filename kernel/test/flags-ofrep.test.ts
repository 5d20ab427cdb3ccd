import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OpenFeature } from '@openfeature/server-sdk';
import { startTestKernel, type TestKernel, type TestTenant } from '@markettina/sdk/testing';
import { KernelFlagProvider } from '../src/flags/openfeature-provider.js';
import { rolloutBucket } from '../src/flags/bucket.js';
import { socialFlagsPlugin } from './fixtures/flags/plugin.js';

describe('OFREP and the OpenFeature provider', () => {
  let kit: TestKernel;
  let pro: TestTenant;
  let free: TestTenant;
  const evaluator = (t: TestTenant) => t.as(['kernel.flags:evaluate']);
  const operator = () => kit.createTenant({ name: 'Operator' }).then((t) => t.as(['kernel.flags:admin'], undefined, 'admin'));
  const override = async (accountId: string, key: string, value: unknown) => {
    const res = await (await operator()).inject({ method: 'PUT', url: `/v1/kernel/flags/${key}/overrides/${accountId}`, payload: { value } });
    assert.equal(res.statusCode, 200);
  };

  before(async () => {
    kit = await startTestKernel({ plugins: [socialFlagsPlugin] });
    pro = await kit.createTenant({ planTier: 'pro' });
    free = await kit.createTenant({ planTier: 'free' });
  });
  after(async () => {
    await OpenFeature.close();
    await kit.close();
  });

  describe('OFREP single flag evaluation', () => {
    const evaluate = (t: TestTenant, key: string, payload: unknown = { context: { targetingKey: t.accountId } }) =>
      evaluator(t).inject({ method: 'POST', url: `/ofrep/v1/evaluate/flags/${key}`, payload: payload as object });

    test('answers key, value, reason, variant and metadata for the caller’s tenant', async () => {
      const res = await evaluate(pro, 'social.max-accounts');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { key: 'social.max-accounts', value: 25, reason: 'TARGETING_MATCH', variant: 'paid', metadata: { owner: 'social' } });
      assert.deepEqual((await evaluate(free, 'social.max-accounts')).json().value, 3);
    });

    test('the context may leave out the targeting key, or the body altogether', async () => {
      assert.equal((await evaluate(pro, 'social.max-accounts', { context: {} })).json().value, 25);
      const bare = await evaluator(pro).inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags/social.max-accounts' });
      assert.equal(bare.statusCode, 200);
      assert.equal(bare.json().value, 25);
    });

    test('a caller cannot evaluate for another tenant', async () => {
      const res = await evaluate(free, 'social.max-accounts', { context: { targetingKey: pro.accountId } });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'TARGETING_KEY_FORBIDDEN');
      assert.equal(res.json().errorCode, 'INVALID_CONTEXT');
    });

    test('an unknown flag is 404 FLAG_NOT_FOUND', async () => {
      const res = await evaluate(pro, 'social.unknown');
      assert.equal(res.statusCode, 404);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal(res.json().key, 'social.unknown');
      assert.equal(res.json().errorCode, 'FLAG_NOT_FOUND');
    });

    test('malformed JSON is 400 PARSE_ERROR; a context that is not an object is 400 INVALID_CONTEXT', async () => {
      const parse = await evaluator(pro).inject({
        method: 'POST',
        url: '/ofrep/v1/evaluate/flags/social.max-accounts',
        payload: '{"context": ',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(parse.statusCode, 400);
      assert.equal(parse.json().errorCode, 'PARSE_ERROR');
      for (const payload of [{ context: 'tenant' }, { context: { targetingKey: 42 } }]) {
        const res = await evaluate(pro, 'social.max-accounts', payload);
        assert.equal(res.statusCode, 400, JSON.stringify(payload));
        assert.equal(res.json().errorCode, 'INVALID_CONTEXT');
        assert.equal(res.json().key, 'social.max-accounts');
      }
    });

    test('no credential is 401; a credential without kernel.flags:evaluate is 403', async () => {
      assert.equal((await kit.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags/social.max-accounts', payload: {} })).statusCode, 401);
      const res = await pro.as(['social.threads:read']).inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags/social.max-accounts', payload: {} });
      assert.equal(res.statusCode, 403);
    });

    test('a stored value that no longer fits answers the flag default with reason ERROR', async () => {
      const t = await kit.createTenant();
      await kit.kernel.tenancy.withTenant(t.accountId, (db) =>
        db.raw(`insert into flag_overrides (account_id, flag_key, value) values (?, 'social.threads-enabled', '"on"')`, [t.accountId]),
      );
      const res = await evaluate(t, 'social.threads-enabled');
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().value, false);
      assert.equal(res.json().reason, 'ERROR');
      assert.equal(res.json().metadata.errorCode, 'TYPE_MISMATCH');
    });
  });

  describe('OFREP bulk evaluation', () => {
    const bulk = (t: TestTenant, headers: Record<string, string> = {}) =>
      evaluator(t).inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags', payload: { context: { targetingKey: t.accountId } }, headers });

    test('evaluates every flag for the tenant, with an ETag', async () => {
      const res = await bulk(pro);
      assert.equal(res.statusCode, 200);
      const flags = res.json().flags as { key: string; value: unknown; reason: string }[];
      const byKey = Object.fromEntries(flags.map((f) => [f.key, f]));
      assert.equal(byKey['social.max-accounts']?.value, 25);
      assert.equal(byKey['social.threads-enabled']?.reason, 'STATIC');
      assert.match(String(res.headers.etag), /^"[A-Za-z0-9_-]+"$/);
    });

    test('If-None-Match with the current ETag is 304; a change gives a new ETag', async () => {
      const t = await kit.createTenant();
      const first = await bulk(t);
      const etag = String(first.headers.etag);
      const same = await bulk(t, { 'if-none-match': etag });
      assert.equal(same.statusCode, 304);
      assert.equal(same.body, '');
      assert.equal((await bulk(t, { 'if-none-match': `"other", W/${etag}` })).statusCode, 304, 'lists and weak validators match too');

      await override(t.accountId, 'social.threads-enabled', true);
      const changed = await bulk(t, { 'if-none-match': etag });
      assert.equal(changed.statusCode, 200);
      assert.notEqual(changed.headers.etag, etag);
    });
  });

  describe('OpenFeature server provider', () => {
    before(async () => {
      await OpenFeature.setProviderAndWait(new KernelFlagProvider(kit.kernel.flags));
    });

    test('resolves booleans, numbers, strings and objects through the real SDK client', async () => {
      const client = OpenFeature.getClient();
      const t = await kit.createTenant({ planTier: 'pro' });
      const ctx = { targetingKey: t.accountId };

      const off = await client.getBooleanDetails('social.threads-enabled', true, ctx);
      assert.deepEqual([off.value, off.reason, off.variant, off.flagMetadata.owner], [false, 'STATIC', 'default', 'social']);
      await override(t.accountId, 'social.threads-enabled', true);
      const on = await client.getBooleanDetails('social.threads-enabled', false, ctx);
      assert.deepEqual([on.value, on.reason, on.variant], [true, 'TARGETING_MATCH', 'override']);

      const max = await client.getNumberDetails('social.max-accounts', 0, ctx);
      assert.deepEqual([max.value, max.reason], [25, 'TARGETING_MATCH']);

      const admin = await operator();
      await admin.inject({ method: 'POST', url: '/v1/kernel/flags', payload: { key: 'kernel.theme', type: 'string', defaultValue: 'light' } });
      await admin.inject({ method: 'POST', url: '/v1/kernel/flags', payload: { key: 'kernel.limits', type: 'object', defaultValue: { posts: 10 } } });
      assert.equal(await client.getStringValue('kernel.theme', 'dark', ctx), 'light');
      assert.deepEqual(await client.getObjectValue('kernel.limits', {}, ctx), { posts: 10 });
    });

    test('the plan tier comes from the account, not from the context', async () => {
      const client = OpenFeature.getClient();
      const t = await kit.createTenant({ planTier: 'free' });
      assert.equal(await client.getNumberValue('social.max-accounts', 0, { targetingKey: t.accountId, planTier: 'enterprise' }), 3);
    });

    test('the rollout follows the stable bucket of (flag, tenant)', async () => {
      const client = OpenFeature.getClient();
      for (let i = 0; i < 6; i++) {
        const t = await kit.createTenant({ planTier: 'free' });
        const details = await client.getBooleanDetails('social.new-composer', false, { targetingKey: t.accountId });
        const expected = rolloutBucket('social.new-composer', t.accountId) < 0.5;
        assert.equal(details.value, expected);
        assert.equal(details.reason, expected ? 'SPLIT' : 'DEFAULT');
      }
    });

    test('errors answer the code default with an OpenFeature error code', async () => {
      const client = OpenFeature.getClient();
      const ctx = { targetingKey: pro.accountId };
      const mismatch = await client.getStringDetails('social.threads-enabled', 'fallback', ctx);
      assert.deepEqual([mismatch.value, mismatch.reason, mismatch.errorCode], ['fallback', 'ERROR', 'TYPE_MISMATCH']);
      const missing = await client.getBooleanDetails('social.unknown', true, ctx);
      assert.deepEqual([missing.value, missing.errorCode], [true, 'FLAG_NOT_FOUND']);
      const noKey = await client.getNumberDetails('social.max-accounts', 1, {});
      assert.deepEqual([noKey.value, noKey.errorCode], [1, 'TARGETING_KEY_MISSING']);
    });
  });
});
