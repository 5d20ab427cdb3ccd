import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson, parseIdempotencyKey, requestFingerprint } from '../src/idempotency/key.js';

describe('Idempotency-Key field', () => {
  test('is read as a structured-field string, or a bare token', () => {
    assert.deepEqual(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"'), { key: '8e03978e-40d5-43e8-bc93-6894a57f9324' });
    assert.deepEqual(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324'), { key: '8e03978e-40d5-43e8-bc93-6894a57f9324' });
    assert.deepEqual(parseIdempotencyKey('"order 42 \\"retry\\""'), { key: 'order 42 "retry"' });
    assert.equal(parseIdempotencyKey(undefined), undefined);
  });

  test('rejects values that are not one valid key', () => {
    for (const bad of ['""', '"open', '"a"b"', '"bad \\n escape"', '"tab\there"', 'a, b', 'two words', `"${'k'.repeat(256)}"`]) {
      assert.ok('error' in (parseIdempotencyKey(bad) ?? {}), `should reject ${JSON.stringify(bad)}`);
    }
    assert.ok('error' in parseIdempotencyKey(['"a"', '"b"'])!);
  });
});

describe('request fingerprint', () => {
  test('ignores the order of object keys but nothing else', () => {
    const a = requestFingerprint('POST', '/v1/orders/orders', { item: 'pen', quantity: 2, tags: ['x', 'y'] });
    assert.equal(a, requestFingerprint('post', '/v1/orders/orders', { tags: ['x', 'y'], quantity: 2, item: 'pen' }));
    assert.notEqual(a, requestFingerprint('POST', '/v1/orders/orders', { item: 'pen', quantity: 3, tags: ['x', 'y'] }));
    assert.notEqual(a, requestFingerprint('POST', '/v1/orders/orders', { item: 'pen', quantity: 2, tags: ['y', 'x'] }));
    assert.notEqual(a, requestFingerprint('POST', '/v1/orders/other', { item: 'pen', quantity: 2, tags: ['x', 'y'] }));
    assert.notEqual(a, requestFingerprint('PATCH', '/v1/orders/orders', { item: 'pen', quantity: 2, tags: ['x', 'y'] }));
  });

  test('canonical JSON sorts keys at every depth', () => {
    assert.equal(canonicalJson({ b: { d: 1, c: [{ f: null, e: 'x' }] }, a: undefined }), '{"b":{"c":[{"e":"x","f":null}],"d":1}}');
  });
});
