import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { displayPrefix, newCredential, parseCredential, secretMatches } from '../../src/domain/credentials.js';

describe('opaque credentials', () => {
  test('a token carries its id and account; only the hash of its secret is kept', () => {
    const id = randomUUID();
    const accountId = randomUUID();
    const { token, secretHash } = newCredential('api_key', id, accountId);
    assert.match(token, /^mk_[A-Za-z0-9_-]{86}$/);
    const parsed = parseCredential(token, ['api_key'])!;
    assert.deepEqual([parsed.kind, parsed.id, parsed.accountId], ['api_key', id, accountId]);
    assert.equal(secretMatches(parsed.secret, secretHash), true);
    assert.ok(!token.includes(secretHash.toString('base64url')));
    assert.equal(displayPrefix(token), token.slice(0, 11));
  });

  test('platform credentials carry no account', () => {
    const { token } = newCredential('admin_session', randomUUID());
    const parsed = parseCredential(token, ['admin_session'])!;
    assert.equal(parsed.accountId, undefined);
    assert.throws(() => newCredential('admin_session', randomUUID(), randomUUID()), /has no account id/);
    assert.throws(() => newCredential('api_key', randomUUID()), /needs an account id/);
  });

  test('other kinds, damaged tokens and wrong secrets are refused', () => {
    const { token, secretHash } = newCredential('refresh', randomUUID(), randomUUID());
    assert.equal(parseCredential(token, ['api_key']), undefined, 'a refresh token is not an API key');
    assert.equal(parseCredential(token.slice(0, -1), ['refresh']), undefined, 'truncated');
    assert.equal(parseCredential(`${token}A`, ['refresh']), undefined, 'extended');
    assert.equal(parseCredential(token.replace('mkr_', 'mkr_!'), ['refresh']), undefined, 'not base64url');
    const other = parseCredential(newCredential('refresh', randomUUID(), randomUUID()).token, ['refresh'])!;
    assert.equal(secretMatches(other.secret, secretHash), false);
  });
});
