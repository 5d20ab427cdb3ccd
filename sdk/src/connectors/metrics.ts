import type { MetricName } from './capabilities.js';
import type { PostMetrics } from './operations.js';

/**
 * Engagement, defined once for every plugin that measures posts (the social sync, the
 * campaign roll-up, analytics), so a rate means the same thing wherever it is shown.
 */

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
 * `part` as a percentage of `whole`, unrounded (clients round for display). Multiplying
 * first keeps whole-number results exact: 7 of 100 is 7, not 7.000000000000001.
 */
export const percentOf = (part: number, whole: number): number => (part * 100) / whole;

/**
 * (likes + comments + shares) / impressions × 100, with views standing in for impressions
 * where the platform reports none; null when there is no base (neither reported, or both
 * 0) or no interaction is reported at all. It may exceed 100 (a post shown once and liked
 * by many who saw it elsewhere).
 */
export function engagementRate(m: PostMetrics): number | null {
  const base = engagementBase(m);
  const engaged = engagements(m);
  return base === null || engaged === null ? null : percentOf(engaged, base);
}
