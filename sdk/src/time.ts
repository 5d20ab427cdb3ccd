/**
 * Wall-clock time in IANA time zones, on top of `Intl` (no time zone data of our own).
 * People choose publication times on their own clock ("Tuesday 09:00 in Rome"), so the
 * conversion to an instant must be explicit about the hours a daylight-saving change skips
 * or repeats. The rules follow Temporal's `disambiguation: 'compatible'`.
 */

/** A date and time on a wall clock, with no zone. Months and days count from 1. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/**
 * How a local time became an instant: `exact` (it happens once), `gap` (a clock change
 * skipped it; moved forward by the length of the gap), `overlap` (it happens twice; the
 * earlier one was taken).
 */
export type ZonedResolutionKind = 'exact' | 'gap' | 'overlap';

export interface ZonedResolution {
  instant: Date;
  kind: ZonedResolutionKind;
}

// IANA names are area/location paths ("Europe/Rome", "Etc/GMT+5", "UTC"). Offset strings
// such as "+01:00" are not zones: newer ICU versions accept them, and they have no DST rules.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9][A-Za-z0-9_+-]*)*$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than using it. Only valid zones are kept. */
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * `name` if it names a zone this runtime knows, with its letter case fixed ("europe/rome" →
 * "Europe/Rome"); otherwise undefined. Links stay as given: ICU would map "Asia/Kolkata" to
 * the older "Asia/Calcutta", which is not what a person chose.
 */
export function normalizeTimeZone(name: string): string | undefined {
  if (typeof name !== 'string' || name.length > 64 || !ZONE_NAME.test(name)) return undefined;
  try {
    const resolved = formatterFor(name).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    return undefined;
  }
}

export const isTimeZone = (name: string): boolean => normalizeTimeZone(name) !== undefined;

function assertZone(zone: string): void {
  if (!isTimeZone(zone)) throw new RangeError(`"${zone}" is not an IANA time zone name`);
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Parses `YYYY-MM-DDTHH:MM[:SS[.sss]]` (no offset); undefined unless it names a real day and time. */
export function parseLocalDateTime(text: string): LocalDateTime | undefined {
  const m = LOCAL.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] ? Number(m[6]) : 0;
  const millisecond = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, hour, minute, second, millisecond };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DDTHH:MM:SS`, with `.sss` only when there are milliseconds. */
export function formatLocalDateTime(l: LocalDateTime): string {
  const base = `${formatLocalDate(l)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}`;
  return l.millisecond ? `${base}.${pad(l.millisecond, 3)}` : base;
}

/** `YYYY-MM-DD` of a local date-time. */
export const formatLocalDate = (l: Pick<LocalDateTime, 'year' | 'month' | 'day'>): string => `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}`;

/** Milliseconds since the epoch if the wall-clock reading were UTC. */
function wallMs(l: LocalDateTime): number {
  const d = new Date(Date.UTC(2000, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond));
  d.setUTCFullYear(l.year); // Date.UTC maps years 0-99 onto 1900-1999
  return d.getTime();
}

/** The wall-clock reading in `zone` at `instant`. */
export function toLocalDateTime(instant: Date | number, zone: string): LocalDateTime {
  assertZone(zone);
  const t = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('invalid instant');
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(t)) parts[p.type] = p.value;
  const yearOfEra = Number(parts.year);
  return {
    year: parts.era === 'BC' ? 1 - yearOfEra : yearOfEra,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    // Offsets are whole seconds, so the milliseconds are those of the instant.
    millisecond: ((t % 1000) + 1000) % 1000,
  };
}

/** The zone's offset from UTC at `instant`, in milliseconds (Rome in summer: +7_200_000). */
export function offsetAt(instant: Date | number, zone: string): number {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  return wallMs(toLocalDateTime(t, zone)) - t;
}

/** The calendar day (`YYYY-MM-DD`) `instant` falls on in `zone`. */
export const localDay = (instant: Date | number, zone: string): string => formatLocalDate(toLocalDateTime(instant, zone));

/**
 * The instant a wall-clock time in `zone` names. A time that happens once is `exact`. A time
 * a clock change skipped (spring forward) is moved forward by the length of the gap: 02:30
 * in Rome on the last Sunday of March becomes 03:30. A time that happens twice (fall back)
 * is the earlier of the two, still on summer time.
 */
export function zonedToInstant(local: LocalDateTime | string, zone: string): ZonedResolution {
  assertZone(zone);
  const l = typeof local === 'string' ? parseLocalDateTime(local) : local;
  if (!l) throw new RangeError(`"${String(local)}" is not a local date-time (YYYY-MM-DDTHH:MM[:SS])`);
  const wall = wallMs(l);
  // The offsets a day either side of the wall time bracket any clock change that could
  // touch it; each gives one candidate instant that may or may not show that wall time.
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  const candidates = [...new Set([wall - before, wall - after])].filter((t) => offsetAt(t, zone) === wall - t).sort((a, b) => a - b);
  if (candidates.length === 0) {
    // In a gap, reading the wall time with the offset in force before the change lands after
    // it, exactly the gap's length later on the clock.
    return { instant: new Date(wall - before), kind: 'gap' };
  }
  return { instant: new Date(candidates[0]!), kind: candidates.length > 1 ? 'overlap' : 'exact' };
}
