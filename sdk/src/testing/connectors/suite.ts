import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Agent } from 'undici';
import {
  assertConnector,
  AuthExpired,
  authorizationUrl,
  CONNECTOR_CONTRACT_VERSION,
  createConnectorContext,
  createOAuthState,
  createOutboundAgent,
  createPkcePair,
  OutboundRefused,
  RateLimited,
  ReconnectRequired,
  Transient,
  UnknownOutcome,
  type Connector,
  type ConnectedIdentity,
  type ConnectorContext,
  type ConnectorCredentials,
  type DraftMedia,
  type Logger,
  type OAuthClient,
  type OutboundPolicy,
  type PostDraft,
  type PostStatus,
  type PublishResult,
  type RateLimiter,
} from '../../index.js';
import { followAuthorization } from './browser.js';
import type { PlatformFake } from './fake-platform.js';
import { deepFreeze, limitDrafts, textOfLength } from './limit-drafts.js';
import { closeNetwork, type ClosedNetwork } from './network-guard.js';

export interface ConnectorConformanceOptions {
  connector: Connector<unknown>;
  /** Starts the platform's fake; called once, before the suite's first test. */
  startFake(): Promise<PlatformFake>;
  /** Setup fields besides the origin field (which the suite points at the fake). */
  setup?: Record<string, string>;
  /** For `auth.kind: 'credentials'`: fields the fake accepts and fields it refuses. */
  fields?: { valid: Record<string, string>; invalid: Record<string, string> };
  /** For OAuth with `client: 'deployment'`: the client the fake knows. */
  client?: OAuthClient;
  /** A draft the platform accepts (default: a short text). */
  sample?: PostDraft;
  /** An attachment to publish when the connector takes media (default: a 1×1 PNG, if PNG is accepted). */
  media?: DraftMedia;
  /** How long a `pending` publish may take to settle (default 10 s). */
  pendingTimeoutMs?: number;
}

/** A 1×1 transparent PNG. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const REDIRECT_URI = 'https://app.markettina.test/oauth/callback';
const ACCOUNT_ID = 'conformance-account';
const TENANT_ID = '00000000-0000-4000-8000-000000000001';

interface Session {
  credentials: ConnectorCredentials;
  client: OAuthClient | undefined;
  identity: ConnectedIdentity;
}

function recordingLogger(records: unknown[]): Logger {
  const logger: Logger = {
    debug: (o, m) => void records.push([o, m]),
    info: (o, m) => void records.push([o, m]),
    warn: (o, m) => void records.push([o, m]),
    error: (o, m) => void records.push([o, m]),
    child: () => logger,
  };
  return logger;
}

/** Follows the authorize URL as the tenant's browser would and reads the code off the redirect. */
async function approve(url: string, state: string): Promise<string> {
  const back = await followAuthorization(url);
  if (!back.toString().startsWith(REDIRECT_URI)) throw new Error(`redirected to ${back}, not to the redirect_uri`);
  if (back.searchParams.get('state') !== state) throw new Error('the redirect did not carry the state back');
  const code = back.searchParams.get('code');
  if (!code) throw new Error('the redirect carried no code');
  return code;
}

/**
 * Registers node:test tests proving that `connector` keeps the connector contract against
 * a fake of its platform, with the network closed except to that fake: auth, validation
 * from the declared limits, publish / status / delete, metrics, comments, error mapping.
 * Call it at the top level of a test file of its own.
 */
export function connectorConformance(options: ConnectorConformanceOptions): void {
  const { connector } = options;
  const { auth, capabilities: caps } = connector;
  const pendingTimeoutMs = options.pendingTimeoutMs ?? 10_000;

  describe(`connector "${connector.id}" conformance (contract v${CONNECTOR_CONTRACT_VERSION})`, () => {
    let fake: PlatformFake;
    let network: ClosedNetwork;
    const agents: Agent[] = [];
    const logs: unknown[] = [];
    const metered: string[] = [];
    const allowAll: RateLimiter = {
      consume: async (key) => {
        metered.push(key.bucket);
        return { allowed: true, remaining: 1, retryAfterMs: 0, resetMs: 0 };
      },
    };

    before(async () => {
      fake = await options.startFake();
      network = closeNetwork([{ host: '127.0.0.1', port: Number(new URL(fake.origin).port) }]);
    });
    after(async () => {
      network?.restore();
      await Promise.all(agents.map((a) => a.close()));
      await fake?.close();
    });

    const settings = (): Record<string, string> => {
      const field = connector.setup?.originField;
      return { ...options.setup, ...(field ? { [field]: fake.origin } : {}) };
    };

    function context(o: { credentials?: ConnectorCredentials; client?: OAuthClient; responseMs?: number; limiter?: RateLimiter } = {}): ConnectorContext {
      const policy: OutboundPolicy = { allowLoopback: true, allowPrivate: false, allowPlainHttp: true, onlyOrigins: [fake.origin] };
      const timeouts = { connectMs: 2_000, responseMs: o.responseMs ?? 5_000 };
      const agent = createOutboundAgent(policy, timeouts);
      agents.push(agent);
      return createConnectorContext({
        connector,
        tenantId: TENANT_ID,
        account: { id: ACCOUNT_ID, settings: settings() },
        origin: fake.origin,
        agent,
        policy,
        timeouts,
        logger: recordingLogger(logs),
        limiter: o.limiter ?? allowAll,
        ...(o.credentials ? { credentials: o.credentials } : {}),
        ...(o.client ? { client: o.client } : {}),
      });
    }

    async function oauthCode(client: OAuthClient): Promise<{ code: string; verifier: string }> {
      if (auth.kind !== 'oauth2') throw new Error('not an OAuth connector');
      const pkce = createPkcePair();
      const state = createOAuthState();
      const url = authorizationUrl(auth, { origin: fake.origin, client, redirectUri: REDIRECT_URI, state, codeChallenge: pkce.challenge });
      return { code: await approve(url, state), verifier: pkce.verifier };
    }

    async function oauthClient(): Promise<OAuthClient> {
      if (auth.kind !== 'oauth2') throw new Error('not an OAuth connector');
      if (auth.client === 'dynamic') return connector.registerClient!(context(), { redirectUri: REDIRECT_URI, scopes: auth.scopes });
      assert.ok(options.client, 'an OAuth connector with a deployment client needs options.client');
      return options.client;
    }

    let session: Promise<Session> | undefined;
    const connected = () =>
      (session ??= (async () => {
        let credentials: ConnectorCredentials;
        let client: OAuthClient | undefined;
        if (auth.kind === 'oauth2') {
          client = await oauthClient();
          const { code, verifier } = await oauthCode(client);
          credentials = await connector.exchangeCode!(context({ client }), { code, redirectUri: REDIRECT_URI, codeVerifier: verifier });
        } else {
          assert.ok(options.fields, 'a credentials connector needs options.fields');
          credentials = await connector.signIn!(context(), options.fields.valid);
        }
        const identity = await connector.identify(context({ credentials, ...(client ? { client } : {}) }));
        return { credentials, client, identity };
      })());
    const authed = async (o: { responseMs?: number; limiter?: RateLimiter } = {}) => {
      const s = await connected();
      return context({ ...o, credentials: s.credentials, ...(s.client ? { client: s.client } : {}) });
    };

    /** Publishes and waits out `pending`, bounded. */
    async function settle(ctx: ConnectorContext, first: PublishResult | PostStatus, key: string): Promise<PostStatus> {
      const deadline = Date.now() + pendingTimeoutMs;
      let result: PostStatus = first;
      while (result.status === 'pending') {
        assert.ok(Date.now() < deadline, `still pending after ${pendingTimeoutMs} ms`);
        await new Promise((r) => setTimeout(r, Math.min(result.status === 'pending' ? result.retryAfterMs : 0, 200)));
        result = await connector.checkStatus(ctx, { pending: result.pending, idempotencyKey: key });
      }
      return result;
    }
    let published = 0;
    async function publish(draft: PostDraft): Promise<{ ctx: ConnectorContext; key: string; result: PostStatus }> {
      const ctx = await authed();
      const key = `conformance-${process.pid}-${++published}`;
      const result = await settle(ctx, await connector.publish(ctx, { post: connector.adapt(draft), idempotencyKey: key }), key);
      return { ctx, key, result };
    }
    const sample = (): PostDraft => options.sample ?? { text: `Conformance check ${Date.now()}` };
    const externalIdOf = (r: PostStatus) => {
      assert.equal(r.status, 'published', `expected a published post, got ${JSON.stringify(r)}`);
      return (r as { externalId: string }).externalId;
    };

    describe('declaration', () => {
      test('is a checked connector of this contract version', () => {
        assertConnector(connector);
        assert.equal(connector.contractVersion, CONNECTOR_CONTRACT_VERSION);
      });
      test('is plain data that survives JSON, as clients receive it', () => {
        const d = connector.describe();
        assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
        assert.deepEqual(d.capabilities, caps);
      });
    });

    describe('auth', () => {
      if (auth.kind === 'oauth2') {
        test('the authorization URL carries client, redirect, scopes, state and the PKCE challenge', async () => {
          const client = await oauthClient();
          const url = new URL(authorizationUrl(auth, { origin: fake.origin, client, redirectUri: REDIRECT_URI, state: 's1', codeChallenge: 'c1' }));
          assert.equal(url.origin, fake.origin);
          assert.equal(url.searchParams.get('response_type'), 'code');
          assert.equal(url.searchParams.get('client_id'), client.clientId);
          assert.equal(url.searchParams.get('redirect_uri'), REDIRECT_URI);
          assert.equal(url.searchParams.get('scope'), auth.scopes.join(' '));
          assert.equal(url.searchParams.get('state'), 's1');
          if (auth.pkce) assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
        });
        test('code + verifier exchange yields an access token, and identify names the account', async () => {
          const s = await connected();
          assert.ok(s.credentials.accessToken, 'no access token');
          assert.ok(s.identity.externalId, 'identify returned no externalId');
        });
        test('an authorization code works only once', async () => {
          const client = await oauthClient();
          const { code, verifier } = await oauthCode(client);
          const req = { code, redirectUri: REDIRECT_URI, codeVerifier: verifier };
          assert.ok((await connector.exchangeCode!(context({ client }), req)).accessToken);
          await assert.rejects(connector.exchangeCode!(context({ client }), req), ReconnectRequired);
        });
        if (auth.pkce) {
          test('a wrong PKCE verifier is refused', async () => {
            const client = await oauthClient();
            const { code } = await oauthCode(client);
            await assert.rejects(connector.exchangeCode!(context({ client }), { code, redirectUri: REDIRECT_URI, codeVerifier: createPkcePair().verifier }), ReconnectRequired);
          });
        }
      } else {
        test('valid fields open a session, and identify names the account', async () => {
          const s = await connected();
          assert.ok(s.identity.externalId, 'identify returned no externalId');
        });
        test('wrong fields are refused with ReconnectRequired', async () => {
          await assert.rejects(connector.signIn!(context(), options.fields!.invalid), ReconnectRequired);
        });
      }
      if (auth.refresh) {
        test('refresh yields a new access token and never an empty refresh token', async () => {
          const fresh = await connector.refreshCredentials!(await authed());
          assert.ok(fresh.accessToken, 'no access token after refresh');
          assert.ok(fresh.refreshToken === undefined || fresh.refreshToken.length > 0, 'an empty refresh token');
        });
      }
    });

    describe('validation against the declared limits', () => {
      for (const c of limitDrafts(caps)) {
        test(`${c.expect ? 'refuses' : 'accepts'} ${c.name}`, () => {
          const codes = connector.validate(deepFreeze(structuredClone(c.draft))).map((v) => v.code);
          if (c.expect) assert.ok(codes.includes(c.expect), `expected ${c.expect}, got [${codes.join(', ')}]`);
          else assert.deepEqual(codes, []);
        });
      }
      test('validate and adapt are pure: same answer twice, input untouched, no network', () => {
        const before = fake.requests.length;
        const draft = deepFreeze<PostDraft>({ text: 'pure https://example.com/x', ...(caps.threads ? { thread: [{ text: 'two' }] } : {}) });
        assert.deepEqual(connector.validate(draft), connector.validate(draft));
        assert.deepEqual(connector.adapt(draft), connector.adapt(draft));
        assert.equal(fake.requests.length, before);
      });
    });

    describe('publishing', () => {
      test('publish ends published (after pending, if any), and checkStatus agrees', async () => {
        const { ctx, result } = await publish(sample());
        const id = externalIdOf(result);
        const status = await connector.checkStatus(ctx, { externalId: id });
        assert.equal(status.status, 'published');
      });
      if (caps.publishIdempotency === 'platform') {
        test('publishing again with the same idempotency key yields the same post', async () => {
          const { ctx, key, result } = await publish(sample());
          const again = await settle(ctx, await connector.publish(ctx, { post: connector.adapt(sample()), idempotencyKey: key }), key);
          assert.equal(externalIdOf(again), externalIdOf(result));
        });
      }
      if (caps.threads) {
        test('a thread publishes every post', async () => {
          const { result } = await publish({ text: 'thread 1/2', thread: [{ text: 'thread 2/2' }] });
          externalIdOf(result);
          assert.equal((result as { parts: unknown[] }).parts.length, 2);
        });
      }
      const media = options.media ?? (caps.media.types.includes('image/png') ? { mimeType: 'image/png', data: PNG_1X1, altText: 'a dot', fileName: 'dot.png' } : undefined);
      if (caps.media.maxItems > 0 && media) {
        test('a post with media publishes', async () => {
          externalIdOf((await publish({ text: 'with media', media: [media] })).result);
        });
      }
      test('content the platform refuses ends as failed, not as an error', async () => {
        const ctx = await authed();
        const result = await connector.publish(ctx, { post: connector.adapt({ text: textOfLength(caps.text.maxLength * 2 + 10, caps.text.unit) }), idempotencyKey: `conformance-refused-${process.pid}` });
        assert.equal(result.status, 'failed');
      });
      if (caps.delete) {
        test('delete removes the post, and checkStatus reports it deleted', async () => {
          const { ctx, result } = await publish(sample());
          const id = externalIdOf(result);
          await connector.delete!(ctx, id);
          assert.equal((await connector.checkStatus(ctx, { externalId: id })).status, 'deleted');
        });
      }
    });

    const article = caps.article;
    if (article) {
      describe('articles', () => {
        const draftOf = (a: NonNullable<PostDraft['article']>): PostDraft => ({ text: 'First paragraph.\n\nSecond paragraph.', article: a });
        const publishNow = async (draft: PostDraft, name: string) => {
          const ctx = await authed();
          const key = `conformance-${name}-${process.pid}-${++published}`;
          return { ctx, key, result: await connector.publish(ctx, { post: connector.adapt(draft), idempotencyKey: key }) };
        };
        test('an article with a title, an excerpt and labels publishes', async () => {
          const { ctx, key, result } = await publishNow(
            draftOf({ title: 'Conformance article', ...(article.excerptMaxLength > 0 ? { excerpt: 'In short.' } : {}), ...(article.tags ? { tags: ['conformance'] } : {}), ...(article.categories ? { categories: ['Conformance'] } : {}) }),
            'article',
          );
          externalIdOf(await settle(ctx, result, key));
        });
        for (const format of article.formats) {
          test(`a ${format} body publishes`, async () => {
            const { ctx, key, result } = await publishNow({ text: format === 'html' ? '<p>An <em>HTML</em> body &amp; more.</p>' : 'A plain body & more.', article: { format } }, format);
            externalIdOf(await settle(ctx, result, key));
          });
        }
        if (article.scheduling) {
          test('a later publishAt stays pending, and checkStatus agrees', async () => {
            const later = new Date(Date.now() + 86_400_000).toISOString();
            const { ctx, key, result } = await publishNow(draftOf({ publishAt: later }), 'scheduled');
            assert.equal(result.status, 'pending', `expected pending, got ${JSON.stringify(result)}`);
            const again = await connector.checkStatus(ctx, { pending: (result as { pending: string }).pending, idempotencyKey: key });
            assert.equal(again.status, 'pending');
          });
          test('a publishAt already past publishes now', async () => {
            const { result } = await publishNow(draftOf({ publishAt: new Date(Date.now() - 60_000).toISOString() }), 'past');
            externalIdOf(result);
          });
        }
        if (article.drafts) {
          test('a draft stays pending on the platform, and checkStatus agrees', async () => {
            const { ctx, key, result } = await publishNow(draftOf({ status: 'draft' }), 'draft');
            assert.equal(result.status, 'pending', `expected pending, got ${JSON.stringify(result)}`);
            const again = await connector.checkStatus(ctx, { pending: (result as { pending: string }).pending, idempotencyKey: key });
            assert.equal(again.status, 'pending');
          });
        }
      });
    }

    if (caps.metrics.length > 0) {
      describe('metrics', () => {
        test('fetchMetrics returns every declared metric as a count', async () => {
          const { ctx, result } = await publish(sample());
          const metrics = await connector.fetchMetrics!(ctx, externalIdOf(result));
          for (const name of caps.metrics) assert.ok(Number.isInteger(metrics[name]) && metrics[name]! >= 0, `metric ${name} is ${metrics[name]}`);
        });
      });
    }

    if (caps.comments) {
      describe('comments', () => {
        test('a reply shows up among the post comments', async () => {
          const { ctx, result } = await publish(sample());
          const id = externalIdOf(result);
          const reply = await connector.reply!(ctx, { inReplyTo: id, text: 'a reply', idempotencyKey: `conformance-reply-${process.pid}` });
          const page = await connector.fetchComments!(ctx, id);
          assert.ok(page.comments.some((c) => c.externalId === externalIdOf(reply) && c.inReplyTo === id));
        });
      });
    }

    describe('error mapping', () => {
      let postId: string;
      const check = async (o: { responseMs?: number } = {}) => connector.checkStatus(await authed(o), { externalId: postId });
      before(async () => {
        postId = externalIdOf((await publish(sample())).result);
      });
      test('401 maps to AuthExpired', async () => {
        fake.failNext({ kind: 'unauthorized' });
        await assert.rejects(check(), AuthExpired);
      });
      test('429 with a reset maps to RateLimited with that wait', async () => {
        fake.failNext({ kind: 'rate-limited', resetInSeconds: 30 });
        const err = await check().then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof RateLimited, `expected RateLimited, got ${String(err)}`);
        assert.ok(err.retryAfterMs >= 25_000 && err.retryAfterMs <= 31_000, `retryAfterMs is ${err.retryAfterMs}`);
        assert.equal(err.source, 'platform');
      });
      test('5xx maps to Transient', async () => {
        fake.failNext({ kind: 'server-error' });
        await assert.rejects(check(), Transient);
      });
      test('a timeout after a publish was sent maps to UnknownOutcome', async () => {
        const ctx = await authed({ responseMs: 300 });
        fake.failNext({ kind: 'stall' }, { unsafeOnly: true });
        await assert.rejects(connector.publish(ctx, { post: connector.adapt(sample()), idempotencyKey: `conformance-stall-${process.pid}` }), UnknownOutcome);
      });
      test('a timeout on a read maps to Transient', async () => {
        fake.failNext({ kind: 'stall' });
        await assert.rejects(check({ responseMs: 300 }), Transient);
      });
      if (caps.rateLimits.length > 0) {
        test('calls spend the declared outbound budgets of the connected account', () => {
          for (const p of caps.rateLimits.filter((r) => !r.appliesTo)) assert.ok(metered.includes(`outbound:${connector.id}:${ACCOUNT_ID}:${p.name}`), `budget ${p.name} was never spent`);
        });
        test('a spent outbound budget stops the call before it is sent', async () => {
          const refuse: RateLimiter = { consume: async () => ({ allowed: false, remaining: 0, retryAfterMs: 12_000, resetMs: 12_000 }) };
          const before = fake.requests.length;
          const err = await connector.checkStatus(await authed({ limiter: refuse }), { externalId: postId }).then(() => undefined, (e: unknown) => e);
          assert.ok(err instanceof RateLimited && err.source === 'local' && err.retryAfterMs === 12_000, `got ${String(err)}`);
          assert.equal(fake.requests.length, before);
        });
      }
    });

    describe('network', () => {
      test('the connector never tried to reach anything but the fake', () => {
        assert.deepEqual(network.refused, []);
      });
      test('its HTTP client refuses any origin but the fake', async () => {
        const ctx = await authed();
        await assert.rejects(ctx.http.request({ method: 'GET', url: 'https://example.com/' }), OutboundRefused);
        await assert.rejects(ctx.http.request({ method: 'GET', url: 'http://127.0.0.1:9/' }), OutboundRefused);
      });
      test('sockets and fetch to anything but the fake are refused', async () => {
        await assert.rejects(fetch('https://example.com/'), TypeError);
        const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
          const s = netConnect({ host: '127.0.0.1', port: 9 });
          s.on('error', resolve);
          s.on('connect', () => resolve(Object.assign(new Error('connected'), { code: 'CONNECTED' })));
        });
        assert.equal(err.code, 'ECONNREFUSED');
        assert.ok(network.refused.includes('127.0.0.1:9'));
      });
      test('credentials never appear in the logs', async () => {
        const s = await connected();
        const text = JSON.stringify(logs);
        for (const secret of [s.credentials.accessToken, s.credentials.refreshToken, s.client?.clientSecret, ...Object.values(s.credentials.fields ?? {})]) {
          if (secret) assert.ok(!text.includes(secret), 'a secret was logged');
        }
      });
    });
  });
}
