import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { definePlugin, PluginError, type FlagDeclaration } from '@markettina/sdk';
import { resolvePlugins, loadConfig } from '@markettina/kernel';
import { rolloutBucket } from '../src/flags/bucket.js';
import { TenantFlagCache } from '../src/flags/cache.js';
import { checkDeclaration, type StoredFlag } from '../src/flags/definition.js';
import { evaluateFlag } from '../src/flags/evaluate.js';

const flag = (over: Partial<StoredFlag> = {}): StoredFlag => ({
  key: 'social.threads-enabled',
  owner: 'social',
  origin: 'declared',
  description: '',
  type: 'boolean',
  defaultValue: false,
  enabled: true,
  rollout: null,
  targeting: [],
  updatedAt: new Date(0).toISOString(),
  ...over,
});

const tenant = (planTier: 'free' | 'pro' | undefined = 'free', accountId = randomUUID()) => ({ accountId, planTier });

describe('rollout bucket', () => {
  test('25% of 10,000 random tenants land in the rollout, within ±2%', () => {
    let inside = 0;
    for (let i = 0; i < 10_000; i++) {
      const result = evaluateFlag('social.threads-enabled', flag({ rollout: { percentage: 25, value: true } }), tenant(), undefined, false);
      if (result.value === true) inside++;
    }
    assert.ok(inside >= 2_300 && inside <= 2_700, `${inside} of 10000 tenants were in a 25% rollout`);
  });

  test('the same tenant always gets the same bucket (it is a hash, not a coin toss)', () => {
    const id = '2f1b8f0e-3c55-4b7e-9a4e-1f0f4d6c2b11';
    const first = rolloutBucket('social.threads-enabled', id);
    for (let i = 0; i < 100; i++) assert.equal(rolloutBucket('social.threads-enabled', id), first);
    // Pinned: if the hash ever changed, tenants would flip in and out of every rollout on upgrade.
    assert.equal(first, 0.39949236158281565);
  });

  test('the bucket is the first 4 bytes of sha256("<key>:<tenant>") over 2^32', async () => {
    const { createHash } = await import('node:crypto');
    const id = randomUUID();
    const expected = createHash('sha256').update(`k.x:${id}`).digest().readUInt32BE(0) / 2 ** 32;
    assert.equal(rolloutBucket('k.x', id), expected);
  });

  test('raising the percentage only adds tenants', () => {
    const ids = Array.from({ length: 2_000 }, () => randomUUID());
    const inAt = (p: number) => new Set(ids.filter((id) => evaluateFlag('a.b', flag({ key: 'a.b', rollout: { percentage: p, value: true } }), tenant('free', id), undefined, false).value));
    const at10 = inAt(10);
    const at30 = inAt(30);
    for (const id of at10) assert.ok(at30.has(id));
    assert.ok(at30.size > at10.size);
  });

  test('different flags roll out to different tenants', () => {
    const ids = Array.from({ length: 1_000 }, () => randomUUID());
    const a = ids.filter((id) => rolloutBucket('x.a', id) < 0.5);
    const b = new Set(ids.filter((id) => rolloutBucket('x.b', id) < 0.5));
    const both = a.filter((id) => b.has(id)).length;
    assert.ok(both > 150 && both < 350, `${both} tenants were in both 50% rollouts; independent flags overlap about 25%`);
  });
});

describe('evaluation order and reasons', () => {
  const rich = flag({
    rollout: { percentage: 100, value: true, variant: 'beta' },
    targeting: [{ planTiers: ['pro', 'enterprise'], value: false, variant: 'paid-off' }],
  });

  test('a flag without rules is STATIC', () => {
    assert.deepEqual(evaluateFlag('social.threads-enabled', flag(), tenant(), undefined, true), {
      key: 'social.threads-enabled',
      value: false,
      variant: 'default',
      reason: 'STATIC',
    });
  });

  test('override beats targeting, targeting beats rollout, rollout beats default', () => {
    const pro = tenant('pro');
    const override = evaluateFlag(rich.key, rich, pro, { value: true }, false);
    assert.deepEqual([override.value, override.reason, override.variant], [true, 'TARGETING_MATCH', 'override']);
    const targeted = evaluateFlag(rich.key, rich, pro, undefined, true);
    assert.deepEqual([targeted.value, targeted.reason, targeted.variant], [false, 'TARGETING_MATCH', 'paid-off']);
    const split = evaluateFlag(rich.key, rich, tenant('free'), undefined, false);
    assert.deepEqual([split.value, split.reason, split.variant], [true, 'SPLIT', 'beta']);
    const noRollout = { ...rich, rollout: { percentage: 0, value: true } };
    const fallback = evaluateFlag(rich.key, noRollout, tenant('free'), undefined, true);
    assert.deepEqual([fallback.value, fallback.reason, fallback.variant], [false, 'DEFAULT', 'default']);
  });

  test('an unknown plan tier matches no targeting rule', () => {
    const result = evaluateFlag(rich.key, { ...rich, rollout: null }, tenant(undefined), undefined, true);
    assert.equal(result.reason, 'DEFAULT');
  });

  test('a disabled flag answers its default, even over an override', () => {
    const result = evaluateFlag(rich.key, { ...rich, enabled: false }, tenant('pro'), { value: true }, true);
    assert.deepEqual([result.value, result.reason], [false, 'DISABLED']);
  });
});

describe('evaluation never throws', () => {
  test('an unknown flag answers the caller default with FLAG_NOT_FOUND', () => {
    const result = evaluateFlag('social.nope', undefined, tenant(), undefined, 'fallback');
    assert.deepEqual([result.value, result.reason, result.errorCode], ['fallback', 'ERROR', 'FLAG_NOT_FOUND']);
  });

  test('a default of the wrong type is a TYPE_MISMATCH, answered with that default', () => {
    const result = evaluateFlag('social.threads-enabled', flag(), tenant(), undefined, 'yes');
    assert.deepEqual([result.value, result.reason, result.errorCode], ['yes', 'ERROR', 'TYPE_MISMATCH']);
  });

  test('a stored override of the wrong type (the flag changed type) answers the default', () => {
    const result = evaluateFlag('social.threads-enabled', flag(), tenant(), { value: 'on' }, true);
    assert.deepEqual([result.value, result.reason, result.errorCode], [true, 'ERROR', 'TYPE_MISMATCH']);
    const noCallerDefault = evaluateFlag('social.threads-enabled', flag(), tenant(), { value: 'on' }, undefined);
    assert.equal(noCallerDefault.value, false, 'without a caller default, the flag default');
  });

  test('corrupt definitions give ERROR with GENERAL, not an exception', () => {
    const broken = flag({ targeting: null as never });
    const result = evaluateFlag('social.threads-enabled', broken, tenant('pro'), undefined, true);
    assert.deepEqual([result.value, result.reason, result.errorCode], [true, 'ERROR', 'GENERAL']);
    const hostile = Object.defineProperty(flag(), 'enabled', {
      get() {
        throw new Error('boom');
      },
    });
    assert.equal(evaluateFlag('social.threads-enabled', hostile, tenant(), undefined, true).reason, 'ERROR');
  });
});

describe('declarations', () => {
  const ok: FlagDeclaration = { key: 'social.threads-enabled', description: 'Threads', type: 'boolean', defaultValue: false };

  test('a valid declaration passes', () => {
    assert.equal(checkDeclaration('social', ok), undefined);
    assert.equal(checkDeclaration('social', { ...ok, type: 'object', defaultValue: { max: 3 }, rollout: { percentage: 5, value: { max: 5 } } }), undefined);
  });

  test('keys are namespaced by their owner', () => {
    assert.match(checkDeclaration('crm', ok)!, /must start with "crm\."/);
    assert.match(checkDeclaration('social', { ...ok, key: 'threads' })!, /must look like/);
    assert.match(checkDeclaration('social', { ...ok, key: `social.${'x'.repeat(100)}` })!, /at most 100/);
  });

  test('defaults and rule values must fit the type; percentages and tiers must be valid', () => {
    assert.match(checkDeclaration('social', { ...ok, defaultValue: 'no' })!, /defaultValue is a string/);
    assert.match(checkDeclaration('social', { ...ok, rollout: { percentage: 120, value: true } })!, /percentage/);
    assert.match(checkDeclaration('social', { ...ok, rollout: { percentage: 10, value: 1 } })!, /rollout.value must be a boolean/);
    assert.match(checkDeclaration('social', { ...ok, targeting: [{ planTiers: ['gold' as never], value: true }] })!, /planTiers/);
    assert.match(checkDeclaration('social', { ...ok, type: 'object', defaultValue: [] as never })!, /an array/);
  });

  test('a plugin declaring a bad flag fails boot with a message naming the plugin', async () => {
    const bad = definePlugin({
      manifest: { id: 'social', version: '1.0.0', kernel: '^1.0.0' },
      register(reg) {
        reg.flag({ key: 'crm.sneaky', description: '', type: 'boolean', defaultValue: false });
      },
    });
    const config = loadConfig({ env: {}, overrides: { plugins: [] } });
    await assert.rejects(resolvePlugins(config, [bad]), (err: unknown) => {
      assert.ok(err instanceof PluginError);
      assert.equal(err.code, 'PLUGIN_FLAG_INVALID');
      assert.match(err.message, /plugin "social".*must start with "social\."/);
      return true;
    });
    const twice = definePlugin({
      manifest: { id: 'social', version: '1.0.0', kernel: '^1.0.0' },
      register(reg) {
        reg.flag(ok);
        reg.flag(ok);
      },
    });
    await assert.rejects(resolvePlugins(config, [twice]), { code: 'PLUGIN_DUPLICATE_FLAG' });
  });
});

describe('tenant cache', () => {
  const entry = () => ({ overrides: new Map([['a.b', { value: true }]]) });

  test('entries expire after the TTL', () => {
    let now = 0;
    const cache = new TenantFlagCache(10, 1_000, () => now);
    cache.set('t1', entry(), cache.epoch);
    now = 999;
    assert.ok(cache.get('t1'));
    now = 1_000;
    assert.equal(cache.get('t1'), undefined);
  });

  test('a load that raced an invalidation is not stored', () => {
    const cache = new TenantFlagCache();
    const epoch = cache.epoch;
    cache.invalidate('t1');
    cache.set('t1', entry(), epoch);
    assert.equal(cache.get('t1'), undefined);
    cache.set('t1', entry(), cache.epoch);
    assert.ok(cache.get('t1'));
  });

  test('it holds at most maxEntries tenants, dropping the oldest', () => {
    const cache = new TenantFlagCache(2);
    for (const id of ['t1', 't2', 't3']) cache.set(id, entry(), cache.epoch);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('t1'), undefined);
    assert.ok(cache.get('t3'));
  });
});
