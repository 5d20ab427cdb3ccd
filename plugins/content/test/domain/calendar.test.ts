import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { calendarRange, groupByDay } from '../../src/domain/calendar.js';
import { problem } from '../fixtures/problems.js';

describe('calendar range', () => {
  test('a window of at most 92 days in a known zone', () => {
    assert.deepEqual(calendarRange('2027-01-01T00:00:00+01:00', '2027-04-03T00:00:00+02:00', 'europe/rome'), {
      from: new Date('2026-12-31T23:00:00Z'),
      to: new Date('2027-04-02T22:00:00Z'),
      timeZone: 'Europe/Rome',
    });
    assert.throws(() => calendarRange('2027-01-01T00:00:00Z', '2027-04-03T00:00:01Z', 'UTC'), problem(400, 'CALENDAR_RANGE_TOO_LONG'));
    assert.throws(() => calendarRange('2027-01-02T00:00:00Z', '2027-01-01T00:00:00Z', 'UTC'), problem(400, 'CALENDAR_RANGE_INVALID'));
    assert.throws(() => calendarRange('2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z', 'UTC'), problem(400, 'CALENDAR_RANGE_INVALID'));
    assert.throws(() => calendarRange('2027-01-01T00:00:00Z', '2027-01-02T00:00:00Z', 'Nowhere/Town'), problem(400, 'TIME_ZONE_INVALID'));
  });
});

describe('grouping by day', () => {
  const items = ['2027-03-27T22:30:00Z', '2027-03-27T23:30:00Z', '2027-03-28T21:59:00Z', '2027-03-28T22:00:00Z'].map((at) => ({ at }));

  test('days are counted on the caller\'s clock, across a daylight-saving change', () => {
    // Rome is +1 until 01:00Z on 28 March, +2 after: 22:00Z on the 28th is already the 29th.
    assert.deepEqual(
      groupByDay(items, 'Europe/Rome').map((d) => [d.date, d.items.length]),
      [
        ['2027-03-27', 1],
        ['2027-03-28', 2],
        ['2027-03-29', 1],
      ],
    );
    assert.deepEqual(
      groupByDay(items, 'America/New_York').map((d) => [d.date, d.items.length]),
      [
        ['2027-03-27', 2],
        ['2027-03-28', 2],
      ],
    );
    assert.deepEqual(groupByDay([], 'UTC'), []);
  });
});
