import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Logger } from '@markettina/sdk';
import type { TestKernel } from '@markettina/sdk/testing';
import { base32Decode, totpAt } from '../src/domain/totp.js';
import { demoWanted } from '../src/services/demo.js';
import { as, internals, startIdentityKit } from './fixtures/kit.js';

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: (obj, msg) => void lines.push(typeof obj === 'string' ? obj : (msg ?? '')),
    warn: () => undefined,
    error: () => undefined,
    child: () => logger,
  };
  return { logger, lines };
}

describe('the demo tenant printed on first start', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startIdentityKit({ config: { demoTenant: 'always' } });
  });
  after(() => kit?.close());

  test('by default only a deployment on the embedded database gets one', () => {
    assert.deepEqual(
      (['embedded', 'always', 'never'] as const).map((mode) => [mode, demoWanted(mode, { embeddedDatabase: true }), demoWanted(mode, { embeddedDatabase: false })]),
      [
        ['embedded', true, false],
        ['always', true, true],
        ['never', false, false],
      ],
    );
  });

  test('credentials are printed once, and they work: API key, owner login, platform admin with TOTP', async () => {
    const first = capture();
    await internals(kit).demo.run({ embeddedDatabase: false }, first.logger);
    assert.equal(first.lines.length, 5);
    const text = first.lines.join('\n');
    const apiKey = /API key \(all tenant permissions\): (mk_\S+)/.exec(text)![1]!;
    const who = await as(kit, apiKey)({ method: 'GET', url: '/v1/identity/me' });
    assert.equal(who.statusCode, 200);
    assert.deepEqual(who.json().permissions, ['*']);
    assert.equal((await as(kit, apiKey)({ method: 'GET', url: '/v1/identity/users' })).json().items.length, 1);

    const [, accountId, email, password] = /owner login: account (\S+), (\S+) \/ (\S+)/.exec(text)!;
    const login = await kit.inject({ method: 'POST', url: '/v1/identity/sessions', payload: { accountId, email, password } });
    assert.equal(login.statusCode, 200, login.body);

    const [, adminEmail, adminPassword, secret] = /platform admin: (\S+) \/ (\S+), TOTP otpauth:\S+secret=([A-Z2-7]+)/.exec(text)!;
    const admin = await kit.inject({ method: 'POST', url: '/v1/identity/admin/sessions', payload: { email: adminEmail, password: adminPassword, code: totpAt(base32Decode(secret!), Date.now()) } });
    assert.equal(admin.statusCode, 200, admin.body);

    const again = capture();
    await internals(kit).demo.run({ embeddedDatabase: false }, again.logger);
    assert.deepEqual(again.lines, [], 'the next start prints nothing');
    const accounts = await kit.kernel.accounts.list();
    assert.equal(accounts.filter((a) => a.name === 'Demo').length, 1, 'and creates nothing');
  });
});

describe('the demo bootstrap as a start hook', () => {
  let kit: TestKernel;
  before(async () => {
    kit = await startIdentityKit({ config: { demoTenant: 'always' } });
  });
  after(() => kit?.close());

  test('runs when the node starts listening, not when the kernel is merely created', async () => {
    const demoAccounts = async () => (await kit.kernel.accounts.list()).filter((a) => a.name === 'Demo').length;
    assert.equal(await demoAccounts(), 0);
    await kit.kernel.listen();
    assert.equal(await demoAccounts(), 1);
    const after = capture();
    await internals(kit).demo.run({ embeddedDatabase: false }, after.logger);
    assert.deepEqual(after.lines, []);
  });
});
