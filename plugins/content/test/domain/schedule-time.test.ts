import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveScheduleTime } from '../../src/domain/schedule-time.js';
import { problem } from '../fixtures/problems.js';

const NOW = new Date('2027-01-01T00:00:00Z');

describe('schedule time', () => {
  test('an instant with an offset; the zone, when given, is for display', () => {
    assert.deepEqual(resolveScheduleTime({ at: '2027-03-28T09:00:00+02:00' }, NOW), { dueAt: new Date('2027-03-28T07:00:00Z'), timeZone: null, localTime: null, resolution: 'instant' });
    assert.deepEqual(resolveScheduleTime({ at: '2027-03-28T07:00Z', timeZone: 'america/new_york' }, NOW), {
      dueAt: new Date('2027-03-28T07:00:00Z'),
      timeZone: 'America/New_York',
      localTime: '2027-03-28T03:00:00',
      resolution: 'instant',
    });
    assert.equal(resolveScheduleTime({ at: '2027-03-28T07:00:00.250-05:30' }, NOW).dueAt.toISOString(), '2027-03-28T12:30:00.250Z');
  });

  test('a local time in a zone, across a spring-forward gap and a fall-back overlap', () => {
    assert.deepEqual(resolveScheduleTime({ at: '2027-03-28T02:30', timeZone: 'Europe/Rome' }, NOW), {
      dueAt: new Date('2027-03-28T01:30:00Z'),
      timeZone: 'Europe/Rome',
      localTime: '2027-03-28T03:30:00',
      resolution: 'gap',
    });
    assert.deepEqual(resolveScheduleTime({ at: '2027-10-31T02:30:00', timeZone: 'Europe/Rome' }, NOW), {
      dueAt: new Date('2027-10-31T00:30:00Z'),
      timeZone: 'Europe/Rome',
      localTime: '2027-10-31T02:30:00',
      resolution: 'overlap',
    });
    assert.equal(resolveScheduleTime({ at: '2027-06-01T09:00', timeZone: 'Asia/Tokyo' }, NOW).resolution, 'exact');
  });

  test('what is refused, each with its own code', () => {
    assert.throws(() => resolveScheduleTime({ at: '2027-03-28T09:00' }, NOW), problem(400, 'TIME_ZONE_REQUIRED'));
    assert.throws(() => resolveScheduleTime({ at: '2027-03-28T09:00', timeZone: 'Mars/Base' }, NOW), problem(400, 'TIME_ZONE_INVALID'));
    assert.throws(() => resolveScheduleTime({ at: '2027-03-28T09:00Z', timeZone: '+02:00' }, NOW), problem(400, 'TIME_ZONE_INVALID'));
    for (const at of ['tomorrow at nine', '2027-02-30T09:00', '2027-03-28T25:00', '2027-03-28T09:00+25:00', '2027-03-28 09:00', '2027-03-28']) {
      assert.throws(() => resolveScheduleTime({ at, timeZone: 'UTC' }, NOW), problem(400, 'SCHEDULE_TIME_INVALID'), at);
    }
    assert.throws(() => resolveScheduleTime({ at: '2026-12-31T23:58:59Z' }, NOW), problem(422, 'SCHEDULE_TIME_PAST'));
    assert.doesNotThrow(() => resolveScheduleTime({ at: '2026-12-31T23:59:30Z' }, NOW), 'a minute of slack for "now"');
  });
});
