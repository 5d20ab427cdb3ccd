import type { JobSchedule } from '@markettina/sdk';

export type ScheduleSpec = { kind: 'cron'; cron: string; hasSeconds: boolean } | { kind: 'every'; every: number };

/** Shorter intervals would spend more on starting tick workers than on the work. */
export const MIN_EVERY_MS = 50;

/** Checks the shape of a schedule; the cron fields themselves are checked by bree at start. */
export function parseSchedule(schedule: JobSchedule): ScheduleSpec {
  if ('every' in schedule) {
    const { every } = schedule;
    if (!Number.isInteger(every) || every < MIN_EVERY_MS) {
      throw new TypeError(`schedule.every must be a whole number of milliseconds, at least ${MIN_EVERY_MS} (got ${String(every)})`);
    }
    return { kind: 'every', every };
  }
  if ('cron' in schedule && typeof schedule.cron === 'string') {
    const fields = schedule.cron.trim().split(/\s+/).length;
    if (fields !== 5 && fields !== 6) {
      throw new TypeError(`schedule.cron "${schedule.cron}" must have five fields (minute first) or six (second first)`);
    }
    return { kind: 'cron', cron: schedule.cron.trim(), hasSeconds: fields === 6 };
  }
  throw new TypeError('schedule must be { cron: "<expression>" } or { every: <milliseconds> }');
}

/** Cron ticks fall on whole minutes (or seconds); intervals on multiples of themselves since the epoch. */
const granularity = (spec: ScheduleSpec) => (spec.kind === 'every' ? spec.every : spec.hasSeconds ? 1000 : 60_000);

/**
 * The tick a firing at `at` (ms since the epoch) belongs to. Rounding to the nearest tick
 * gives every node the same answer even when its timer fired a little early or late.
 */
export function slotOf(spec: ScheduleSpec, at: number): Date {
  const g = granularity(spec);
  return new Date(Math.round(at / g) * g);
}

/** Milliseconds from `now` to the next multiple of `every`, so intervals start aligned on every node. */
export function delayToAlignment(every: number, now: number): number {
  return every - (now % every);
}
