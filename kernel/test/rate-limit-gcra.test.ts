import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RateLimitPolicy } from '@markettina/sdk';
import { decide, ruleOf, step } from '../src/ratelimit/gcra.js';
import { rateLimitHeaders } from '../src/ratelimit/headers.js';
import { MemoryRateLimitStore } from '../src/ratelimit/memory-store.js';
import { policyProblem, routePolicy, type RateLimitClasses } from '../src/ratelimit/policies.js';
import { RateLimitService } from '../src/ratelimit/service.js';

const policy: RateLimitPolicy = { name: 'write', limit: 3, windowSeconds: 60 };

describe('GCRA', () => {
  test('allows the burst at once, then one unit per emission interval', () => {
    const rule = ruleOf(policy);
    assert.deepEqual(rule, { intervalMs: 20_000, burst: 3 });
    let tat: number | undefined;
    const outcomes: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const s = step(tat, 0, rule, 1);
      outcomes.push(s.allowed);
      tat = s.tat;
    }
    assert.deepEqual(outcomes, [true, true, true, false]);
    assert.equal(step(tat, 19_999, rule, 1).allowed, false, 'one unit comes back only after a full interval');
    assert.equal(step(tat, 20_000, rule, 1).allowed, true);
  });

  test('reports remaining units, retry time and reset time', () => {
    const rule = ruleOf(policy);
    const first = step(undefined, 1_000, rule, 1);
    assert.deepEqual(decide(first.allowed, first.tat, 1_000, rule, 1), { allowed: true, remaining: 2, resetMs: 20_000, retryAfterMs: 0 });
    const full = step(step(first.tat, 1_000, rule, 1).tat, 1_000, rule, 1);
    const refused = step(full.tat, 1_000, rule, 1);
    assert.equal(refused.allowed, false);
    assert.equal(refused.tat, full.tat, 'a refused step leaves the budget as it was');
    assert.deepEqual(decide(refused.allowed, refused.tat, 1_000, rule, 1), { allowed: false, remaining: 0, resetMs: 60_000, retryAfterMs: 20_000 });
  });

  test('a cost of several units needs that many units free', () => {
    const rule = ruleOf({ name: 'bulk', limit: 10, windowSeconds: 10 });
    const s = step(undefined, 0, rule, 8);
    assert.equal(s.allowed, true);
    assert.equal(step(s.tat, 0, rule, 3).allowed, false);
    assert.equal(step(s.tat, 0, rule, 2).allowed, true);
    assert.equal(decide(false, s.tat, 0, rule, 3).retryAfterMs, 1_000);
  });

  test('an idle budget refills to the burst, never beyond', () => {
    const rule = ruleOf(policy);
    const s = step(undefined, 0, rule, 1);
    const later = step(s.tat, 10 * 60_000, rule, 1);
    assert.equal(decide(later.allowed, later.tat, 10 * 60_000, rule, 1).remaining, 2);
  });
});

describe('RateLimit header fields', () => {
  test('use the structured-field syntax of draft-ietf-httpapi-ratelimit-headers', () => {
    assert.deepEqual(rateLimitHeaders(policy, { allowed: true, remaining: 2, resetMs: 19_001, retryAfterMs: 0 }), {
      'ratelimit-policy': '"write";q=3;w=60',
      ratelimit: '"write";r=2;t=20',
    });
    assert.deepEqual(rateLimitHeaders(policy, { allowed: false, remaining: 0, resetMs: 60_000, retryAfterMs: 1_500 }), {
      'ratelimit-policy': '"write";q=3;w=60',
      ratelimit: '"write";r=0;t=60',
      'retry-after': '2',
    });
  });
});

describe('policies', () => {
  const classes: RateLimitClasses = {
    write: {
      free: { limit: 20, windowSeconds: 60 },
      starter: { limit: 100, windowSeconds: 60 },
      pro: { limit: 600, windowSeconds: 60, burst: 100 },
      enterprise: { limit: 3000, windowSeconds: 60 },
    },
  };

  test('are chosen by route class and plan tier', () => {
    assert.deepEqual(routePolicy(classes, 'write', 'free'), { name: 'write', limit: 20, windowSeconds: 60 });
    assert.deepEqual(routePolicy(classes, 'write', 'pro'), { name: 'write', limit: 600, windowSeconds: 60, burst: 100 });
    assert.equal(routePolicy(classes, 'toString', 'free'), undefined, 'only configured classes count');
  });

  test('that cannot be enforced are named with the reason', () => {
    assert.equal(policyProblem(policy, 1), undefined);
    assert.match(policyProblem({ ...policy, name: 'a b' }, 1)!, /name/);
    assert.match(policyProblem({ ...policy, limit: 0 }, 1)!, /limit/);
    assert.match(policyProblem({ ...policy, windowSeconds: 0.5 }, 1)!, /windowSeconds/);
    assert.match(policyProblem(policy, 4)!, /cost 4/);
  });
});

describe('memory store', () => {
  test('runs the same algorithm behind the same interface', async () => {
    let now = 0;
    const limiter = new RateLimitService(new MemoryRateLimitStore(() => now), {});
    const key = { accountId: 'a', bucket: 'outbound:x:1' };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.consume(key, policy));
    assert.deepEqual(results.map((r) => [r.allowed, r.remaining]), [[true, 2], [true, 1], [true, 0], [false, 0]]);
    assert.equal(results[3]!.retryAfterMs, 20_000);
    assert.equal((await limiter.consume({ ...key, bucket: 'outbound:x:2' }, policy)).allowed, true, 'other buckets are independent');
    assert.equal((await limiter.consume({ ...key, accountId: 'b' }, policy)).allowed, true, 'other tenants are independent');
    now = 20_000;
    assert.equal((await limiter.consume(key, policy)).allowed, true);
    now = 10 * 60_000;
    assert.equal(await limiter.sweep(), 3, 'full budgets are forgotten');
  });

  test('refuses policies it cannot enforce', async () => {
    const limiter = new RateLimitService(new MemoryRateLimitStore(), {});
    await assert.rejects(limiter.consume({ accountId: 'a', bucket: 'b' }, { ...policy, limit: -1 }), /limit must be a positive integer/);
  });
});
