import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { connectorConformance } from '@markettina/sdk/testing';
import { NOTEBOOK_FIELDS, notebookConnector, startFakeNotebook } from './fixtures/notebook.js';

// The suite against a well-behaved credentials connector (the Mastodon connector covers OAuth).
connectorConformance({
  connector: notebookConnector,
  startFake: startFakeNotebook,
  fields: { valid: NOTEBOOK_FIELDS, invalid: { ...NOTEBOOK_FIELDS, appPassword: 'wrong' } },
});

test('the suite fails a connector that hides platform failures', async () => {
  const file = fileURLToPath(new URL('./fixtures/notebook-broken.ts', import.meta.url));
  // A test run of its own, not a subtest of this one.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', '--test', '--test-reporter=tap', file], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  assert.equal(code, 1, out.slice(-2000));
  for (const name of ['401 maps to AuthExpired', '5xx maps to Transient', '429 with a reset maps to RateLimited']) {
    assert.match(out, new RegExp(`not ok \\d+ - ${name}`), `"${name}" should fail`);
  }
  assert.match(out, /ok \d+ - publish ends published/, 'and the rest still passes');
});
