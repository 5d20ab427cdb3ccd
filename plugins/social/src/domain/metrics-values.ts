import { METRIC_NAMES, type MetricName, type PostMetrics } from '@markettina/sdk';

/**
 * What a platform reported, kept as it said it: a counter that went down since the last
 * snapshot (the platform removed spam likes, merged duplicates) is stored lower, never
 * held at its old maximum, so totals follow the platform's corrections. Only values that
 * can be counts survive: a name outside the shared vocabulary, a negative, fractional or
 * non-finite number is dropped rather than stored as if the platform had meant it.
 */
export function reportedMetrics(raw: PostMetrics | null | undefined): PostMetrics {
  const out: PostMetrics = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const name of METRIC_NAMES) {
    const value = raw[name];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) out[name] = value;
  }
  return out;
}

/** Names of the counters that are lower now than in the previous snapshot: platform corrections. */
export function correctedMetrics(previous: PostMetrics | undefined, current: PostMetrics): MetricName[] {
  if (!previous) return [];
  return METRIC_NAMES.filter((name) => previous[name] !== undefined && current[name] !== undefined && current[name]! < previous[name]!);
}

/** Interactions counted as engagement. */
export const ENGAGEMENT_METRICS: readonly MetricName[] = ['likes', 'comments', 'shares'];

/** likes + comments + shares; null when the platform reports none of them. */
export function engagements(m: PostMetrics): number | null {
  const known = ENGAGEMENT_METRICS.filter((name) => m[name] !== undefined);
  return known.length === 0 ? null : known.reduce((sum, name) => sum + m[name]!, 0);
}

/**
 * What engagement is measured against: impressions, or views on platforms that count no
 * impressions (video platforms report views). A reported 0 falls through to views, and
 * with neither above 0 there is nothing to divide by.
 */
export function engagementBase(m: PostMetrics): number | null {
  for (const name of ['impressions', 'views'] as const) {
    const value = m[name];
    if (value !== undefined && value > 0) return value;
  }
  return null;
}

/**
 * (likes + comments + shares) / impressions × 100, with views standing in for impressions
 * where the platform reports none; null when there is no base (neither reported, or both
 * 0) or no interaction is reported at all. It may exceed 100 (a post shown once and liked
 * by many who saw it elsewhere). Rounded to four decimals, so a stored rate reads back
 * equal to the one published.
 */
export function engagementRate(m: PostMetrics): number | null {
  const base = engagementBase(m);
  const engaged = engagements(m);
  if (base === null || engaged === null) return null;
  return Math.round((engaged / base) * 100 * 10_000) / 10_000;
}
