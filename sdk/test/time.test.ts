import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeTimeZone, formatLocalDateTime, isTimeZone, localDay, offsetAt, parseLocalDateTime, toLocalDateTime, zonedToInstant } from '../src/time.js';

const HOUR = 3_600_000;
const resolve = (local: string, zone: string) => {
  const r = zonedToInstant(local, zone);
  return { kind: r.kind, instant: r.instant.toISOString(), wall: formatLocalDateTime(toLocalDateTime(r.instant, zone)) };
};

describe('time zone names', () => {
  test('IANA names are accepted with their case fixed; links stay as chosen', () => {
    assert.equal(normalizeTimeZone('Europe/Rome'), 'Europe/Rome');
    assert.equal(normalizeTimeZone('europe/rome'), 'Europe/Rome');
    assert.equal(normalizeTimeZone('UTC'), 'UTC');
    assert.equal(normalizeTimeZone('Etc/GMT+5'), 'Etc/GMT+5');
    assert.equal(normalizeTimeZone('Asia/Kolkata'), 'Asia/Kolkata');
    assert.equal(normalizeTimeZone('US/Eastern'), 'US/Eastern');
    assert.equal(normalizeTimeZone('America/Argentina/Buenos_Aires'), 'America/Argentina/Buenos_Aires');
  });

  test('unknown names, offsets and junk are not zones', () => {
    for (const name of ['Mars/Olympus_Mons', '+01:00', '-0500', '', ' Europe/Rome', 'Europe/Rome; drop', 'Europe/../Rome', `Europe/${'x'.repeat(80)}`]) {
      assert.equal(isTimeZone(name), false, name);
    }
    assert.throws(() => zonedToInstant('2027-01-01T10:00', 'Mars/Olympus_Mons'), RangeError);
    assert.throws(() => localDay(Date.now(), '+01:00'), RangeError);
  });
});

describe('local date-times', () => {
  test('parse only real days and times, without an offset', () => {
    assert.deepEqual(parseLocalDateTime('2027-03-28T02:30'), { year: 2027, month: 3, day: 28, hour: 2, minute: 30, second: 0, millisecond: 0 });
    assert.deepEqual(parseLocalDateTime('2028-02-29T23:59:59.5'), { year: 2028, month: 2, day: 29, hour: 23, minute: 59, second: 59, millisecond: 500 });
    for (const bad of ['2027-02-29T10:00', '2027-04-31T10:00', '2027-03-28T24:00', '2027-03-28T10:60', '2027-03-28 10:00', '2027-03-28T10:00Z', '2027-03-28T10:00+01:00', '2027-03-28', '27-03-28T10:00']) {
      assert.equal(parseLocalDateTime(bad), undefined, bad);
    }
    assert.throws(() => zonedToInstant('2027-02-30T10:00', 'UTC'), RangeError);
  });
});

describe('local time + zone → instant, across daylight-saving changes', () => {
  test('Europe/Rome: the skipped hour moves forward, the repeated hour takes summer time', () => {
    // Last Sunday of March 2027: 02:00 CET → 03:00 CEST.
    assert.deepEqual(resolve('2027-03-28T01:59', 'Europe/Rome'), { kind: 'exact', instant: '2027-03-28T00:59:00.000Z', wall: '2027-03-28T01:59:00' });
    assert.deepEqual(resolve('2027-03-28T02:00', 'Europe/Rome'), { kind: 'gap', instant: '2027-03-28T01:00:00.000Z', wall: '2027-03-28T03:00:00' });
    assert.deepEqual(resolve('2027-03-28T02:30', 'Europe/Rome'), { kind: 'gap', instant: '2027-03-28T01:30:00.000Z', wall: '2027-03-28T03:30:00' });
    assert.deepEqual(resolve('2027-03-28T03:00', 'Europe/Rome'), { kind: 'exact', instant: '2027-03-28T01:00:00.000Z', wall: '2027-03-28T03:00:00' });
    // Last Sunday of October 2027: 03:00 CEST → 02:00 CET; 02:00-02:59 happen twice.
    assert.deepEqual(resolve('2027-10-31T02:30', 'Europe/Rome'), { kind: 'overlap', instant: '2027-10-31T00:30:00.000Z', wall: '2027-10-31T02:30:00' });
    assert.deepEqual(resolve('2027-10-31T01:59', 'Europe/Rome'), { kind: 'exact', instant: '2027-10-30T23:59:00.000Z', wall: '2027-10-31T01:59:00' });
    assert.deepEqual(resolve('2027-10-31T03:00', 'Europe/Rome'), { kind: 'exact', instant: '2027-10-31T02:00:00.000Z', wall: '2027-10-31T03:00:00' });
  });

  test('America/New_York: spring forward and fall back', () => {
    assert.deepEqual(resolve('2027-03-14T02:30', 'America/New_York'), { kind: 'gap', instant: '2027-03-14T07:30:00.000Z', wall: '2027-03-14T03:30:00' });
    assert.deepEqual(resolve('2027-11-07T01:30', 'America/New_York'), { kind: 'overlap', instant: '2027-11-07T05:30:00.000Z', wall: '2027-11-07T01:30:00' });
    assert.deepEqual(resolve('2027-11-07T02:30', 'America/New_York'), { kind: 'exact', instant: '2027-11-07T07:30:00.000Z', wall: '2027-11-07T02:30:00' });
  });

  test('Australia/Lord_Howe: a half-hour change, in the southern hemisphere', () => {
    assert.equal(offsetAt(new Date('2027-01-15T00:00:00Z'), 'Australia/Lord_Howe'), 11 * HOUR);
    assert.equal(offsetAt(new Date('2027-07-15T00:00:00Z'), 'Australia/Lord_Howe'), 10.5 * HOUR);
    // First Sunday of April 2027: 02:00 (+11) → 01:30 (+10:30); 01:30-01:59 happen twice.
    assert.deepEqual(resolve('2027-04-04T01:45', 'Australia/Lord_Howe'), { kind: 'overlap', instant: '2027-04-03T14:45:00.000Z', wall: '2027-04-04T01:45:00' });
    assert.deepEqual(resolve('2027-04-04T01:29', 'Australia/Lord_Howe'), { kind: 'exact', instant: '2027-04-03T14:29:00.000Z', wall: '2027-04-04T01:29:00' });
    // First Sunday of October 2027: 02:00 (+10:30) → 02:30 (+11); the gap is 30 minutes.
    assert.deepEqual(resolve('2027-10-03T02:15', 'Australia/Lord_Howe'), { kind: 'gap', instant: '2027-10-02T15:45:00.000Z', wall: '2027-10-03T02:45:00' });
  });

  test('zones without daylight saving: every local time is exact', () => {
    assert.deepEqual(resolve('2027-03-28T02:30', 'Asia/Tokyo'), { kind: 'exact', instant: '2027-03-27T17:30:00.000Z', wall: '2027-03-28T02:30:00' });
    assert.deepEqual(resolve('2027-06-01T12:00', 'Asia/Kolkata'), { kind: 'exact', instant: '2027-06-01T06:30:00.000Z', wall: '2027-06-01T12:00:00' });
    assert.deepEqual(resolve('2027-10-31T02:30', 'UTC'), { kind: 'exact', instant: '2027-10-31T02:30:00.000Z', wall: '2027-10-31T02:30:00' });
  });

  test('a whole skipped day (Samoa, December 2011) moves forward by the day', () => {
    assert.deepEqual(resolve('2011-12-30T12:00', 'Pacific/Apia'), { kind: 'gap', instant: '2011-12-30T22:00:00.000Z', wall: '2011-12-31T12:00:00' });
  });

  test('every instant of a year reads back to itself, or to its earlier twin in an overlap', () => {
    for (const zone of ['Europe/Rome', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Tokyo']) {
      let overlaps = 0;
      // Every quarter hour in the months these zones change their clocks, every 3 hours otherwise.
      const step = (t: number) => ([2, 3, 9, 10].includes(new Date(t).getUTCMonth()) ? 15 * 60_000 : 3 * 3_600_000);
      for (let t = Date.UTC(2027, 0, 1); t < Date.UTC(2028, 0, 1); t += step(t)) {
        const r = zonedToInstant(toLocalDateTime(t, zone), zone);
        if (r.kind === 'overlap') {
          overlaps++;
          assert.ok(r.instant.getTime() <= t, `${zone} ${new Date(t).toISOString()}`);
          assert.equal(formatLocalDateTime(toLocalDateTime(r.instant, zone)), formatLocalDateTime(toLocalDateTime(t, zone)));
        } else {
          assert.equal(r.kind, 'exact');
          assert.equal(r.instant.getTime(), t, `${zone} ${new Date(t).toISOString()}`);
        }
      }
      // Each repeated quarter hour is seen twice (once per occurrence).
      assert.equal(overlaps, zone === 'Asia/Tokyo' ? 0 : zone === 'Australia/Lord_Howe' ? 4 : 8, zone);
    }
  });
});

describe('instant → local day', () => {
  test('the same instant is a different day in different zones', () => {
    const t = Date.UTC(2027, 2, 27, 23, 30);
    assert.equal(localDay(t, 'Europe/Rome'), '2027-03-28');
    assert.equal(localDay(t, 'America/New_York'), '2027-03-27');
    assert.equal(localDay(t, 'Asia/Tokyo'), '2027-03-28');
    assert.equal(localDay(new Date('2027-10-02T13:29:59Z'), 'Australia/Lord_Howe'), '2027-10-02');
    assert.equal(localDay(new Date('2027-10-02T13:30:00Z'), 'Australia/Lord_Howe'), '2027-10-03');
  });

  test('milliseconds and years before 1000 survive', () => {
    assert.deepEqual(toLocalDateTime(Date.UTC(2027, 0, 1, 0, 0, 0, 250), 'Asia/Kolkata'), { year: 2027, month: 1, day: 1, hour: 5, minute: 30, second: 0, millisecond: 250 });
    assert.equal(localDay(new Date('0500-06-01T12:00:00Z'), 'UTC'), '0500-06-01');
  });
});
