import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { waitFor } from '../src/testing/wait.js';

describe('waitFor', () => {
  test('returns the first value the check gives, falsy ones included', async () => {
    let calls = 0;
    assert.equal(await waitFor('the third call', () => (++calls === 3 ? 0 : undefined), 1_000, 1), 0);
    assert.equal(calls, 3);
  });

  test('fails naming what it waited for once the time is up', async () => {
    await assert.rejects(waitFor('a value that never comes', async () => undefined, 30, 5), /timed out after 30 ms waiting for a value that never comes/);
  });
});
