import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { AesGcmSecretBox } from '@markettina/kernel';
import { startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { socialPlugin } from '../src/plugin.js';
import { socialRuntimeRef } from '../src/runtime.js';
import { refreshTokensJob } from '../src/jobs/refresh-tokens.js';
import { fixtureConnectorsPlugin, KEYBOOK_KEY, PAGEBOOK_CLIENT, startFakePagebook, type FakePagebook } from './fixtures/pagebook.js';
import { connectOAuth, eventTypes, REDIRECT_URI } from './helpers.js';

describe('social plugin', () => {
  let kit: TestKernel;
  let fake: FakePagebook;
  before(async () => {
    fake = await startFakePagebook();
    kit = await startTestKernel({
      plugins: [
        { definition: socialPlugin, config: { oauth: { redirectUri: REDIRECT_URI, clients: { pagebook: PAGEBOOK_CLIENT } }, network: { allowLoopback: true, allowPlainHttp: true } } },
        fixtureConnectorsPlugin(fake.origin),
      ],
      config: { jobs: { scheduler: false } },
    });
  });
  after(async () => {
    await kit?.close();
    await fake?.close();
  });

  const runRefreshJob = () => refreshTokensJob.perTenant ? Promise.reject(new Error('not a cluster job')) : refreshTokensJob.handler({ ...kit.kernel.host.contextFor('social'), run: { jobId: 'refresh-tokens', slot: new Date() } });
  const sealedOf = (accountId: string, id: string) =>
    kit.kernel.tenancy.withTenant(accountId, (trx) => trx('social_accounts').where({ id }).first('credentials_sealed', 'credentials_version', 'status', 'health', 'token_expires_at'));

  async function connectedPage() {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const { res } = await connectOAuth(caller, 'pagebook');
    assert.equal(res.statusCode, 201, res.body);
    const picked = await caller.inject({ method: 'POST', url: `/v1/social/accounts/${res.json().id}/channel`, payload: { channelId: 'p2' } });
    assert.equal(picked.statusCode, 200, picked.body);
    return { tenant, caller, account: picked.json() };
  }

  test('GET /platforms serves every installed connector with its declared capabilities', async () => {
    const res = await (await kit.createTenant()).as(['social.accounts:read']).inject({ method: 'GET', url: '/v1/social/platforms' });
    assert.equal(res.statusCode, 200);
    const items = res.json().items as { id: string; capabilities: { text: { maxLength: number } }; auth: { kind: string } }[];
    assert.deepEqual(items.map((p) => p.id).sort(), ['keybook', 'pagebook']);
    assert.equal(items.find((p) => p.id === 'pagebook')!.capabilities.text.maxLength, 50);
    assert.equal(items.find((p) => p.id === 'keybook')!.auth.kind, 'credentials');
  });

  test('OAuth connect: PKCE exchange, then a page to pick, then connected with an event', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const { started, back, res } = await connectOAuth(caller, 'pagebook');
    const url = new URL(started.authorizationUrl);
    assert.equal(url.searchParams.get('client_id'), PAGEBOOK_CLIENT.clientId);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(back.searchParams.get('state'), started.state);
    assert.equal(res.statusCode, 201, res.body);
    const account = res.json();
    assert.equal(account.status, 'pending_channel');
    assert.deepEqual(account.channels.map((c: { id: string }) => c.id), ['p1', 'p2']);
    assert.deepEqual(await eventTypes(kit, tenant.accountId), [], 'not connected until a page is picked');

    const unknown = await caller.inject({ method: 'POST', url: `/v1/social/accounts/${account.id}/channel`, payload: { channelId: 'nope' } });
    assert.equal(unknown.json().code, 'CHANNEL_UNKNOWN');
    const picked = await caller.inject({ method: 'POST', url: `/v1/social/accounts/${account.id}/channel`, payload: { channelId: 'p2' } });
    assert.equal(picked.json().status, 'connected');
    assert.equal(picked.json().settings.channelId, 'p2');
    assert.equal(picked.json().channels, null);
    const events = await eventTypes(kit, tenant.accountId);
    assert.deepEqual(events.map((e) => e.type), ['social.account.connected']);
    assert.equal(events[0]!.data.socialAccountId, account.id);
  });

  test('an OAuth state works once, for ten minutes, for the principal who started it', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const { back, res } = await connectOAuth(caller, 'pagebook');
    assert.equal(res.statusCode, 201);
    const again = await caller.inject({ method: 'POST', url: '/v1/social/connections/oauth/callback', payload: { state: back.searchParams.get('state'), code: back.searchParams.get('code') } });
    assert.equal(again.statusCode, 422);
    assert.equal(again.json().code, 'OAUTH_STATE_INVALID');

    const started = (await caller.inject({ method: 'POST', url: '/v1/social/connections/oauth', payload: { connector: 'pagebook' } })).json();
    const other = await tenant.as().inject({ method: 'POST', url: '/v1/social/connections/oauth/callback', payload: { state: started.state, code: 'x' } });
    assert.equal(other.json().code, 'OAUTH_STATE_INVALID');

    const late = (await caller.inject({ method: 'POST', url: '/v1/social/connections/oauth', payload: { connector: 'pagebook' } })).json();
    await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('social_oauth_flows').update({ expires_at: trx.raw("now() - interval '1 second'") }));
    const expired = await caller.inject({ method: 'POST', url: '/v1/social/connections/oauth/callback', payload: { state: late.state, code: 'x' } });
    assert.equal(expired.json().code, 'OAUTH_STATE_EXPIRED');
  });

  test('the state and PKCE verifier are stored sealed, never in clear', async () => {
    const tenant = await kit.createTenant();
    const started = (await tenant.as().inject({ method: 'POST', url: '/v1/social/connections/oauth', payload: { connector: 'pagebook' } })).json();
    const rows = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('social_oauth_flows').select('*'));
    assert.equal(rows.length, 1);
    const dump = JSON.stringify(rows);
    assert.ok(!dump.includes(started.state), 'the state is readable');
    assert.match(rows[0].secret_sealed, /^v1\./);
  });

  test('tokens are unreadable in the database without the key', async () => {
    const { tenant, account } = await connectedPage();
    const client = new pg.Client({ connectionString: kit.database.ownerUrl });
    await client.connect();
    try {
      await client.query('begin');
      await client.query("select set_config('app.current_account_id', $1, true)", [tenant.accountId]);
      const { rows } = await client.query('select * from social_accounts where id = $1', [account.id]);
      await client.query('commit');
      const row = rows[0];
      const dump = JSON.stringify(row);
      for (const token of fake.tokens) assert.ok(!dump.includes(token), 'an access token is readable at SQL level');
      assert.match(row.credentials_sealed, /^v1\.test\./);
      const box = kit.kernel.secrets;
      const binding = `social_accounts:${tenant.accountId}:${account.id}`;
      const creds = JSON.parse(box.open(row.credentials_sealed, binding));
      assert.ok(fake.tokens.has(creds.accessToken), 'the kernel key opens it');
      assert.throws(() => new AesGcmSecretBox({ test: AesGcmSecretBox.generateKey() }, 'test').open(row.credentials_sealed, binding), 'another key does not');
      assert.throws(() => box.open(row.credentials_sealed, `social_accounts:${tenant.accountId}:00000000-0000-4000-8000-000000000000`), 'it is bound to its row');
    } finally {
      await client.end();
    }
  });

  test('the refresh job renews tokens ahead of expiry and keeps the refresh token when none comes back', async () => {
    const { tenant, account } = await connectedPage();
    const rt = kit.kernel.host.contextFor('social').get(socialRuntimeRef);
    const before = await sealedOf(tenant.accountId, account.id);
    const oldCreds = JSON.parse(kit.kernel.secrets.open(before.credentials_sealed, `social_accounts:${tenant.accountId}:${account.id}`));
    await runRefreshJob();
    assert.equal((await sealedOf(tenant.accountId, account.id)).credentials_version, before.credentials_version, 'a token an hour from expiry is left alone');

    await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('social_accounts').where({ id: account.id }).update({ token_expires_at: new Date(Date.now() + 60_000) }));
    fake.omitRefreshToken = true;
    try {
      await runRefreshJob();
    } finally {
      fake.omitRefreshToken = false;
    }
    const after = await sealedOf(tenant.accountId, account.id);
    assert.equal(after.credentials_version, before.credentials_version + 1);
    assert.ok(after.token_expires_at.getTime() > Date.now() + 50 * 60_000);
    const creds = JSON.parse(kit.kernel.secrets.open(after.credentials_sealed, `social_accounts:${tenant.accountId}:${account.id}`));
    assert.notEqual(creds.accessToken, oldCreds.accessToken);
    assert.equal(creds.refreshToken, oldCreds.refreshToken, 'an empty refresh never replaces the refresh token');
    const types = (await eventTypes(kit, tenant.accountId)).map((e) => e.type);
    assert.deepEqual(types, ['social.account.connected', 'social.token.refreshed']);
    assert.ok(rt.connectors.has('pagebook'));
  });

  test('a refresh writes only if nobody changed the credentials since they were read', async () => {
    const { tenant, account } = await connectedPage();
    const { swapCredentials, findAccount } = await import('../src/store/accounts.js');
    const stale = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => findAccount(trx, account.id));
    await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => swapCredentials(trx, kit.kernel.secrets, stale!, stale!.credentials_version, { accessToken: 'first-writer' }));
    const lost = await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => swapCredentials(trx, kit.kernel.secrets, stale!, stale!.credentials_version, { accessToken: 'second-writer' }));
    assert.equal(lost, undefined);
    const row = await sealedOf(tenant.accountId, account.id);
    assert.equal(JSON.parse(kit.kernel.secrets.open(row.credentials_sealed, `social_accounts:${tenant.accountId}:${account.id}`)).accessToken, 'first-writer');
  });

  test('a refused refresh marks the account reconnect-required and publishes TokenExpired', async () => {
    const { tenant, caller, account } = await connectedPage();
    await kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('social_accounts').where({ id: account.id }).update({ token_expires_at: new Date(Date.now() + 60_000) }));
    fake.revokeRefreshTokens();
    await runRefreshJob();
    const row = (await caller.inject({ method: 'GET', url: `/v1/social/accounts/${account.id}` })).json();
    assert.equal(row.status, 'reconnect_required');
    assert.equal(row.health, 'failing');
    const events = await eventTypes(kit, tenant.accountId);
    assert.deepEqual(events.map((e) => e.type), ['social.account.connected', 'social.token.expired']);
    const publish = await caller.inject({ method: 'POST', url: '/v1/social/posts', payload: { socialAccountId: account.id, draft: { text: 'hello' } } });
    assert.equal(publish.statusCode, 409);
    assert.equal(publish.json().code, 'RECONNECT_REQUIRED');
  });

  test('a revoked access token on publish is refreshed once and the publish goes through', async () => {
    const { caller, account } = await connectedPage();
    fake.tokens.clear();
    fake.tokens.add(KEYBOOK_KEY);
    const before = fake.refreshCount;
    const res = await caller.inject({ method: 'POST', url: '/v1/social/posts', payload: { socialAccountId: account.id, draft: { text: 'after refresh' } } });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'published');
    assert.equal(fake.refreshCount, before + 1);
  });

  test('API key connect: wrong keys are refused, private site addresses are refused, a good key connects', async () => {
    const tenant = await kit.createTenant();
    const caller = tenant.as();
    const connect = (site: string, apiKey: string) => caller.inject({ method: 'POST', url: '/v1/social/connections/credentials', payload: { connector: 'keybook', setup: { site }, fields: { apiKey } } });
    const wrong = await connect(fake.origin, 'kb_wrong_key');
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().code, 'CREDENTIALS_REFUSED');
    const privateSite = await connect('https://10.0.0.7', KEYBOOK_KEY);
    assert.equal(privateSite.statusCode, 422);
    assert.equal(privateSite.json().code, 'ORIGIN_NOT_ALLOWED');
    const badFields = await caller.inject({ method: 'POST', url: '/v1/social/connections/credentials', payload: { connector: 'keybook', setup: { site: fake.origin }, fields: { apiKey: 'x' } } });
    assert.equal(badFields.json().code, 'FIELDS_INVALID');
    const ok = await connect(fake.origin, KEYBOOK_KEY);
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().status, 'connected');
    assert.equal(ok.json().origin, fake.origin);
  });

  test('POST /validate checks a draft against each chosen account', async () => {
    const { caller, account } = await connectedPage();
    const res = await caller.inject({ method: 'POST', url: '/v1/social/validate', payload: { socialAccountIds: [account.id], draft: { text: 'x'.repeat(51), thread: [{ text: 'two' }] } } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().valid, false);
    assert.deepEqual(res.json().results[0].violations.map((v: { code: string }) => v.code), ['TEXT_TOO_LONG', 'THREADS_UNSUPPORTED']);
    const ok = await caller.inject({ method: 'POST', url: '/v1/social/validate', payload: { socialAccountIds: [account.id], draft: { text: 'fits' } } });
    assert.equal(ok.json().valid, true);
    const unknown = await caller.inject({ method: 'POST', url: '/v1/social/validate', payload: { socialAccountIds: ['00000000-0000-4000-8000-000000000000'], draft: { text: 'x' } } });
    assert.equal(unknown.statusCode, 404);
  });

  test('disconnect forgets the credentials, publishes an event, and stops publishing', async () => {
    const { tenant, caller, account } = await connectedPage();
    const res = await caller.inject({ method: 'DELETE', url: `/v1/social/accounts/${account.id}` });
    assert.equal(res.statusCode, 204);
    const row = await sealedOf(tenant.accountId, account.id);
    assert.equal(row.credentials_sealed, null);
    assert.equal(row.status, 'disconnected');
    assert.deepEqual((await eventTypes(kit, tenant.accountId)).map((e) => e.type), ['social.account.connected', 'social.account.disconnected']);
    const publish = await caller.inject({ method: 'POST', url: '/v1/social/posts', payload: { socialAccountId: account.id, draft: { text: 'hello' } } });
    assert.equal(publish.json().code, 'ACCOUNT_NOT_CONNECTED');
    assert.equal((await caller.inject({ method: 'DELETE', url: `/v1/social/accounts/${account.id}` })).statusCode, 204, 'disconnecting twice is fine');
  });

  test('a health check degrades on platform trouble, recovers, and asks for a reconnect when credentials are refused', async () => {
    const { caller, account } = await connectedPage();
    const check = async () => (await caller.inject({ method: 'POST', url: `/v1/social/accounts/${account.id}/check` })).json();
    fake.failNext({ kind: 'server-error' });
    assert.deepEqual([(await check()).health], ['degraded']);
    const ok = await check();
    assert.deepEqual([ok.status, ok.health, ok.lastError], ['connected', 'ok', null]);
    fake.tokens.clear();
    fake.tokens.add(KEYBOOK_KEY);
    fake.revokeRefreshTokens();
    const gone = await check();
    assert.deepEqual([gone.status, gone.health], ['reconnect_required', 'failing']);
  });

  test('accounts of one tenant are invisible to another', async () => {
    const { account } = await connectedPage();
    const other = (await kit.createTenant()).as();
    assert.equal((await other.inject({ method: 'GET', url: `/v1/social/accounts/${account.id}` })).statusCode, 404);
    assert.deepEqual((await other.inject({ method: 'GET', url: '/v1/social/accounts' })).json().items, []);
  });
});
