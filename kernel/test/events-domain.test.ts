import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { definePlugin, PluginError, toCloudEvent, type DomainEvent } from '@markettina/sdk';
import { afterFailure, errorText, EventCatalog } from '../src/events/index.js';
import { partitionName } from '../src/events/partitions.js';
import { collectRegistration } from '../src/plugins/registration.js';

const policy = { maxAttempts: 5, baseMs: 1000, maxMs: 5000 };

describe('retry policy', () => {
  test('waits base·2^(n-1) with equal jitter: between half and all of the nominal wait', () => {
    assert.deepEqual(afterFailure(1, policy, () => 0), { state: 'pending', delayMs: 500 });
    assert.deepEqual(afterFailure(1, policy, () => 1), { state: 'pending', delayMs: 1000 });
    assert.deepEqual(afterFailure(2, policy, () => 0), { state: 'pending', delayMs: 1000 });
    assert.deepEqual(afterFailure(3, policy, () => 0.5), { state: 'pending', delayMs: 3000 });
  });

  test('caps the wait at maxMs, even for huge attempt counts', () => {
    assert.deepEqual(afterFailure(4, policy, () => 1), { state: 'pending', delayMs: 5000 });
    assert.deepEqual(afterFailure(2000, { ...policy, maxAttempts: 5000 }, () => 1), { state: 'pending', delayMs: 5000 });
  });

  test('is dead once the attempt budget is spent', () => {
    assert.deepEqual(afterFailure(5, policy), { state: 'dead' });
    assert.deepEqual(afterFailure(1, { ...policy, maxAttempts: 1 }), { state: 'dead' });
  });

  test('keeps name, code and message of an error, bounded, without the stack', () => {
    const err = Object.assign(new TypeError('bad input'), { code: 'E_BAD' });
    assert.equal(errorText(err), 'TypeError [E_BAD]: bad input');
    assert.equal(errorText('plain'), 'plain');
    assert.equal(errorText({ reason: 1 }), '{"reason":1}');
    assert.ok(errorText(new Error('x'.repeat(10_000))).length <= 4001);
  });
});

describe('event envelope', () => {
  const event: DomainEvent = {
    id: '0b6e3c1e-8a57-4d0e-9a55-2b0f6a8b7c11',
    type: 'campaigns.campaign.launched',
    source: 'campaigns',
    subject: 'campaigns/42',
    time: '2026-11-22T10:00:00.000Z',
    accountId: '5f1c3b8e-1d2a-4c3b-9e8f-7a6b5c4d3e2f',
    aggregateId: '42',
    data: { name: 'Winter' },
  };

  test('maps onto CloudEvents 1.0 with lower-case extension attributes', () => {
    assert.deepEqual(toCloudEvent(event), {
      specversion: '1.0',
      id: event.id,
      source: 'campaigns',
      type: 'campaigns.campaign.launched',
      time: '2026-11-22T10:00:00.000Z',
      subject: 'campaigns/42',
      datacontenttype: 'application/json',
      data: { name: 'Winter' },
      accountid: event.accountId,
      aggregateid: '42',
    });
  });

  test('omits optional attributes that are absent rather than sending null', () => {
    const cloud = toCloudEvent({ ...event, subject: null, aggregateId: null });
    assert.equal('subject' in cloud, false);
    assert.equal('aggregateid' in cloud, false);
  });
});

describe('event catalog', () => {
  const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
  const plugin = (id: string, register: Parameters<typeof definePlugin>[0]['register']) =>
    collectRegistration(definePlugin({ manifest: { id, version: '1.0.0', kernel: '^1.0.0' }, register }), id, {});

  test('knows each declared type with its source and schema, and who subscribes', async () => {
    const handler = async () => undefined;
    const catalog = new EventCatalog([
      plugin('orders', (reg) => {
        reg.publishes({ type: 'orders.placed', schema });
        reg.subscribe({ event: 'orders.placed', subscriberId: 'reserve', handler });
      }),
      plugin('mailer', (reg) => reg.subscribe({ event: 'orders.placed', subscriberId: 'confirm', handler })),
    ]);
    const declared = catalog.declared('orders.placed')!;
    assert.equal(declared.source, 'orders');
    assert.equal(declared.validate({ n: 1 }), true);
    assert.equal(declared.validate({ n: 'one' }), false);
    assert.equal(catalog.declared('orders.cancelled'), undefined);
    assert.deepEqual(catalog.subscribersOf('orders.placed').map((s) => s.key), ['orders/reserve', 'mailer/confirm']);
    assert.deepEqual(catalog.subscriberKeys, ['orders/reserve', 'mailer/confirm']);
  });

  test('refuses a type declared by two plugins, naming both', () => {
    assert.throws(
      () =>
        new EventCatalog([
          plugin('orders', (reg) => reg.publishes({ type: 'orders.placed', schema })),
          plugin('shop', (reg) => reg.publishes({ type: 'orders.placed', schema })),
        ]),
      (e: PluginError) => e.code === 'PLUGIN_DUPLICATE_EVENT_TYPE' && /"orders" and "shop"/.test(e.message),
    );
  });

  test('refuses a payload schema that does not compile, naming the plugin and event', () => {
    assert.throws(
      () => new EventCatalog([plugin('orders', (reg) => reg.publishes({ type: 'orders.placed', schema: { type: 'no-such-type' } }))]),
      (e: PluginError) => e.code === 'PLUGIN_EVENT_SCHEMA_INVALID' && /"orders"/.test(e.message) && /orders\.placed/.test(e.message),
    );
  });
});

describe('partition names', () => {
  test('name the UTC month, zero-padded', () => {
    assert.equal(partitionName(new Date('2026-01-31T23:59:59Z')), 'domain_events_2026_01');
    assert.equal(partitionName(new Date('2026-12-01T00:00:00Z')), 'domain_events_2026_12');
  });
});
