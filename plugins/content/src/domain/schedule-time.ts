import { formatLocalDateTime, normalizeTimeZone, parseLocalDateTime, problems, toLocalDateTime, zonedToInstant, type ZonedResolutionKind } from '@markettina/sdk';

/**
 * When to publish, as a client says it: an instant with an offset (`2027-03-28T09:00:00+02:00`)
 * or a wall-clock time and the zone it is read in (`{ at: '2027-03-28T09:00', timeZone: 'Europe/Rome' }`).
 */
export interface ScheduleTimeInput {
  at: string;
  timeZone?: string;
}

export interface ScheduleTime {
  dueAt: Date;
  /** The zone the time was chosen in (normalised), kept for display; null for a bare instant. */
  timeZone: string | null;
  /** The wall-clock time in `timeZone` the publication will happen at. */
  localTime: string | null;
  /**
   * `instant` when an offset was given; otherwise how the local time was read: `exact`,
   * `gap` (a clock change skipped it, moved forward by the gap) or `overlap` (the earlier of two).
   */
  resolution: 'instant' | ZonedResolutionKind;
}

const WITH_OFFSET = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:\d{2})$/i;

/** A little slack for a client that schedules "now" with a clock slightly behind ours. */
export const PAST_TOLERANCE_MS = 60_000;

function zoneOf(name: string): string {
  const zone = normalizeTimeZone(name);
  if (!zone) throw problems.badRequest('TIME_ZONE_INVALID', `"${name}" is not an IANA time zone name (e.g. Europe/Rome)`, { timeZone: name });
  return zone;
}

function instantOf(local: string, offset: string): Date {
  const wall = parseLocalDateTime(local);
  const [, sign, hh, mm] = /^([+-])(\d{2}):(\d{2})$/.exec(offset) ?? [];
  if (!wall || (sign && (Number(hh) > 23 || Number(mm) > 59))) throw invalidTime(`${local}${offset}`);
  const offsetMs = sign ? (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000 : 0;
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond) - offsetMs);
}

const invalidTime = (at: string) => problems.badRequest('SCHEDULE_TIME_INVALID', `"${at}" is neither an instant with an offset nor a local date-time (YYYY-MM-DDTHH:MM[:SS])`, { at });

/** Reads the client's time; a time already past (beyond a minute's slack) is refused. */
export function resolveScheduleTime(input: ScheduleTimeInput, now: Date): ScheduleTime {
  const zone = input.timeZone === undefined ? null : zoneOf(input.timeZone);
  const withOffset = WITH_OFFSET.exec(input.at);
  let result: ScheduleTime;
  if (withOffset) {
    const dueAt = instantOf(withOffset[1]!, withOffset[2]!.toUpperCase());
    result = { dueAt, timeZone: zone, localTime: zone ? formatLocalDateTime(toLocalDateTime(dueAt, zone)) : null, resolution: 'instant' };
  } else {
    if (!parseLocalDateTime(input.at)) throw invalidTime(input.at);
    if (!zone) throw problems.badRequest('TIME_ZONE_REQUIRED', `"${input.at}" has no offset; say which time zone it is in (timeZone)`, { at: input.at });
    const { instant, kind } = zonedToInstant(input.at, zone);
    result = { dueAt: instant, timeZone: zone, localTime: formatLocalDateTime(toLocalDateTime(instant, zone)), resolution: kind };
  }
  if (result.dueAt.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
    throw problems.invalid('SCHEDULE_TIME_PAST', `${result.dueAt.toISOString()} is in the past`, { dueAt: result.dueAt.toISOString() });
  }
  return result;
}
