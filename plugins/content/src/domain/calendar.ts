import { localDay, normalizeTimeZone, problems } from '@markettina/sdk';

/** About a quarter: a calendar page, not an export. */
export const MAX_CALENDAR_DAYS = 92;
const DAY_MS = 86_400_000;

export interface CalendarRange {
  from: Date;
  to: Date;
  timeZone: string;
}

/** The caller's window `[from, to)` and zone, or the 400 that says what is wrong with them. */
export function calendarRange(from: string, to: string, timeZone: string): CalendarRange {
  const zone = normalizeTimeZone(timeZone);
  if (!zone) throw problems.badRequest('TIME_ZONE_INVALID', `"${timeZone}" is not an IANA time zone name (e.g. Europe/Rome)`, { timeZone });
  const start = new Date(from);
  const end = new Date(to);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw problems.badRequest('CALENDAR_RANGE_INVALID', 'from and to must be instants with an offset');
  if (start >= end) throw problems.badRequest('CALENDAR_RANGE_INVALID', `from ${from} is not before to ${to}`, { from, to });
  if (end.getTime() - start.getTime() > MAX_CALENDAR_DAYS * DAY_MS) {
    throw problems.badRequest('CALENDAR_RANGE_TOO_LONG', `a calendar spans at most ${MAX_CALENDAR_DAYS} days`, { maxDays: MAX_CALENDAR_DAYS });
  }
  return { from: start, to: end, timeZone: zone };
}

export interface CalendarDay<T> {
  /** `YYYY-MM-DD` in the caller's zone. */
  date: string;
  items: T[];
}

/** Items (in time order) grouped by the day they fall on in `zone`; days without items are left out. */
export function groupByDay<T extends { at: string }>(items: readonly T[], zone: string): CalendarDay<T>[] {
  const days: CalendarDay<T>[] = [];
  for (const item of items) {
    const date = localDay(new Date(item.at), zone);
    const last = days.at(-1);
    if (last?.date === date) last.items.push(item);
    else days.push({ date, items: [item] });
  }
  return days;
}
