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
