/**
 * How often a published post's metrics are read, by the post's age. Most engagement comes
 * in the first two days, so those are followed closely; after that the numbers move slowly
 * and reading them often would only spend the account's platform budget.
 *
 * | age of the post   | a sync every |
 * |-------------------|--------------|
 * | up to 48 hours    | 30 minutes   |
 * | up to 30 days     | 6 hours      |
 * | up to 90 days     | 24 hours     |
 * | after 90 days     | never again  |
 *
 * Sync times sit on a grid anchored at the post's publication instant (published + k ×
 * interval), not at the last sync: a late run does not shift every later sync, the same
 * inputs always give the same answer (tests and several nodes agree without jitter), and
 * posts published at different moments spread over the clock on their own. Every band
 * boundary is a multiple of the intervals below it, so the grids meet at the boundaries
 * and the last sync falls exactly on day 90.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface CadenceBand {
  /** The band covers post ages below this many milliseconds. */
  untilAgeMs: number;
  intervalMs: number;
}

export const METRICS_CADENCE: readonly CadenceBand[] = [
  { untilAgeMs: 48 * HOUR, intervalMs: 30 * MINUTE },
  { untilAgeMs: 30 * DAY, intervalMs: 6 * HOUR },
  { untilAgeMs: 90 * DAY, intervalMs: DAY },
];

/** Posts older than this are not synced any more. */
export const METRICS_HORIZON_MS = METRICS_CADENCE.at(-1)!.untilAgeMs;

/** The sync interval for a post of this age; undefined once past the horizon. */
export function syncInterval(ageMs: number): number | undefined {
  return METRICS_CADENCE.find((band) => Math.max(0, ageMs) < band.untilAgeMs)?.intervalMs;
}

/**
 * When to read a post's metrics next, after reading them at `at` (or, for a post never
 * synced, pass its publication instant): the first grid point strictly after `at`, or null
 * when the post has aged past the horizon and syncing stops.
 */
export function nextSyncAt(publishedAt: Date, at: Date): Date | null {
  const age = Math.max(0, at.getTime() - publishedAt.getTime());
  const interval = syncInterval(age);
  if (interval === undefined) return null;
  const step = Math.floor(age / interval) + 1;
  return new Date(publishedAt.getTime() + step * interval);
}

/** The first sync of a post just published: one interval after it went live. */
export const firstSyncAt = (publishedAt: Date): Date => nextSyncAt(publishedAt, publishedAt)!;
