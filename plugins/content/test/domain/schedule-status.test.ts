import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { acceptsOutcome, deliveryStatus, isLive } from '../../src/domain/schedule-status.js';

describe('delivery status of a post', () => {
  test('from the statuses of its targets', () => {
    assert.equal(deliveryStatus([]), 'unscheduled');
    assert.equal(deliveryStatus(['cancelled', 'cancelled']), 'unscheduled');
    assert.equal(deliveryStatus(['scheduled']), 'scheduled');
    assert.equal(deliveryStatus(['published', 'scheduled']), 'scheduled', 'in flight until every target has an outcome');
    assert.equal(deliveryStatus(['published', 'published', 'cancelled']), 'published');
    assert.equal(deliveryStatus(['published', 'failed']), 'partially_published');
    assert.equal(deliveryStatus(['published', 'unconfirmed']), 'partially_published');
    assert.equal(deliveryStatus(['failed', 'unconfirmed']), 'failed');
  });

  test('only a scheduled target holds the post', () => {
    assert.deepEqual((['scheduled', 'published', 'failed', 'unconfirmed', 'cancelled'] as const).filter(isLive), ['scheduled']);
  });
});

describe('outcomes', () => {
  test('published is final, cancelled never comes back, a repeat changes nothing', () => {
    assert.equal(acceptsOutcome('scheduled', 'published'), true);
    assert.equal(acceptsOutcome('scheduled', 'failed'), true);
    assert.equal(acceptsOutcome('unconfirmed', 'published'), true, 'an unconfirmed outcome may be resolved later');
    assert.equal(acceptsOutcome('published', 'failed'), false);
    assert.equal(acceptsOutcome('published', 'published'), false);
    assert.equal(acceptsOutcome('cancelled', 'published'), false);
    assert.equal(acceptsOutcome('failed', 'failed'), false);
  });
});
