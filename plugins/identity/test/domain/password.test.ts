import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashPassword, needsRehash, passwordProblems, verifyPassword } from '../../src/domain/password.js';

const cost = { N: 1024, r: 8, p: 1 };

describe('passwords', () => {
  test('the policy explains what is wrong', () => {
    assert.deepEqual(passwordProblems('correct horse battery staple'), []);
    assert.deepEqual(passwordProblems('short'), ['use at least 12 characters']);
    assert.deepEqual(passwordProblems('aaaaaaaaaaaaaaaa'), ['use at least 5 different characters']);
    assert.deepEqual(passwordProblems('Password1234'), ['this password is too common']);
    assert.deepEqual(passwordProblems('mario.rossi-2024!', { email: 'mario.rossi@example.com' }), ['do not include your email address']);
    assert.deepEqual(passwordProblems('x'.repeat(300).replace(/x/g, (_, i: number) => String.fromCharCode(97 + (i % 26)))), ['use at most 256 characters']);
  });

  test('scrypt hashes carry their parameters and a per-user salt', async () => {
    const a = await hashPassword('correct horse battery staple', cost);
    const b = await hashPassword('correct horse battery staple', cost);
    assert.match(a, /^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    assert.notEqual(a, b, 'same password, different salt, different hash');
    assert.notEqual(a.split('$')[4], b.split('$')[4]);
  });

  test('verification accepts the password only', async () => {
    const stored = await hashPassword('correct horse battery staple', cost);
    assert.equal(await verifyPassword('correct horse battery staple', stored), true);
    assert.equal(await verifyPassword('correct horse battery stapler', stored), false);
    assert.equal(await verifyPassword('', stored), false);
    assert.equal(await verifyPassword('correct horse battery staple', 'md5$abc'), false, 'unknown formats never verify');
    const truncated = stored.slice(0, -4);
    assert.equal(await verifyPassword('correct horse battery staple', truncated), false, 'a damaged hash never verifies');
  });

  test('Unicode passwords are normalised before hashing', async () => {
    const stored = await hashPassword('caf\u00e9 au lait chaud', cost);
    assert.equal(await verifyPassword('cafe\u0301 au lait chaud', stored), true);
  });

  test('a hash made with another cost asks to be redone', async () => {
    const stored = await hashPassword('correct horse battery staple', cost);
    assert.equal(needsRehash(stored, cost), false);
    assert.equal(needsRehash(stored, { ...cost, N: 2048 }), true);
  });
});
