import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertConnector, CONNECTOR_CONTRACT_VERSION, ContentRejected, defineConnector, type ConnectorDefinition, type ConnectorContext } from '@markettina/sdk';

const base: ConnectorDefinition<{ text: string }> = {
  contractVersion: CONNECTOR_CONTRACT_VERSION,
  id: 'example',
  name: 'Example',
  version: '1.0.0',
  defaultOrigin: 'https://api.example.com',
  auth: { kind: 'oauth2', authorizeUrl: 'https://example.com/authorize', tokenUrl: '{origin}/token', scopes: ['post'], pkce: true, client: 'deployment', refresh: true },
  capabilities: {
    text: { maxLength: 10, unit: 'characters', required: true },
    media: { maxItems: 0, types: [] },
    threads: false,
    firstComment: false,
    delete: false,
    edit: false,
    metrics: [],
    comments: false,
    channels: false,
    publishIdempotency: 'none',
    rateLimits: [],
  },
  adapt: (d) => ({ text: d.text }),
  identify: async () => ({ externalId: '1', displayName: 'one' }),
  publish: async () => ({ status: 'published', externalId: '1', parts: [{ externalId: '1' }] }),
  checkStatus: async () => ({ status: 'deleted', externalId: '1' }),
};
const ctx = {} as ConnectorContext;

describe('defineConnector', () => {
  test('fills in the standard OAuth exchange and refresh, and checks declared limits in validate', () => {
    const c = defineConnector({ ...base, validate: (d) => (d.text.includes('!') ? [{ code: 'NO_SHOUTING', path: 'text', message: 'calm down' }] : []) });
    assert.equal(typeof c.exchangeCode, 'function');
    assert.equal(typeof c.refreshCredentials, 'function');
    assert.deepEqual(c.validate({ text: 'hi!' }).map((v) => v.code), ['NO_SHOUTING']);
    assert.deepEqual(c.validate({ text: 'far too long!' }).map((v) => v.code), ['TEXT_TOO_LONG', 'NO_SHOUTING']);
    assert.deepEqual(c.validate({ text: '' }).map((v) => v.code), ['TEXT_REQUIRED']);
    assertConnector(c);
    assert.ok(Object.isFrozen(c));
  });

  test('refuses declarations whose capabilities promise operations that are missing', () => {
    const caps = { ...base.capabilities, delete: true, metrics: ['likes' as const], comments: true, channels: true };
    assert.throws(() => defineConnector({ ...base, capabilities: caps }), (err: Error) => {
      for (const part of ['delete is required', 'fetchMetrics is required', 'fetchComments and reply are required', 'listChannels is required']) assert.ok(err.message.includes(part), err.message);
      return err.message.startsWith('connector "example":');
    });
  });

  test('refuses another contract version, bad ids, plain-http OAuth URLs and unknown metrics', () => {
    assert.throws(() => defineConnector({ ...base, contractVersion: 2 }), /contract version 2/);
    assert.throws(() => defineConnector({ ...base, id: 'Not Kebab' }), /kebab-case/);
    assert.throws(() => defineConnector({ ...base, auth: { ...base.auth, authorizeUrl: 'http://example.com/a' } as typeof base.auth }), /must start with https/);
    assert.throws(() => defineConnector({ ...base, capabilities: { ...base.capabilities, metrics: ['karma' as 'likes'] } }), /metrics must be among/);
    assert.throws(() => defineConnector({ ...base, auth: { ...base.auth, client: 'dynamic' } as typeof base.auth }), /registerClient is required/);
  });

  test('an origin field may be optional only when defaultOrigin says where the API lives otherwise', () => {
    const setup = { schema: { type: 'object', properties: { host: { type: 'string', format: 'uri' } } }, originField: 'host' };
    assert.doesNotThrow(() => defineConnector({ ...base, setup }));
    assert.throws(() => defineConnector({ ...base, defaultOrigin: undefined, setup }), /setup field "host" must be required, or defaultOrigin given/);
    assert.doesNotThrow(() => defineConnector({ ...base, defaultOrigin: undefined, setup: { ...setup, schema: { ...setup.schema, required: ['host'] } } }));
  });

  test('a hand-made object is not a connector', () => {
    assert.throws(() => assertConnector({ ...base }), /defineConnector/);
  });

  test('publish needs an idempotency key and turns ContentRejected into a failed result', async () => {
    const c = defineConnector({
      ...base,
      publish: async () => {
        throw new ContentRejected('duplicate content', 422);
      },
    });
    assert.throws(() => c.publish(ctx, { post: { text: 'x' }, idempotencyKey: '' }), /idempotency key/);
    assert.deepEqual(await c.publish(ctx, { post: { text: 'x' }, idempotencyKey: 'k1' }), { status: 'failed', code: 'CONTENT_REJECTED', reason: 'duplicate content' });
  });

  test('describe() is the declaration as data', () => {
    const d = defineConnector(base).describe();
    assert.deepEqual(Object.keys(d).sort(), ['auth', 'capabilities', 'contractVersion', 'id', 'name', 'setup', 'version']);
    assert.deepEqual(d.capabilities, base.capabilities);
  });
});
