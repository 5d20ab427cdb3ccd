import { METRIC_NAMES, percentOf, type MetricName, type PostMetrics } from '@markettina/sdk';
import type { CampaignGoal, GoalKpi } from '../contracts.js';

/**
 * A campaign's measured results, rolled up from the latest totals of each of its
 * publications. Sums are over the publications that reported a metric; a metric no
 * publication reports is absent rather than 0.
 */
export interface CampaignSums {
  /** Publications of the campaign that went live. */
  posts: number;
  /** Of those, how many have had their metrics read at least once. */
  measuredPosts: number;
  totals: PostMetrics;
  /** likes + comments + shares over every measured publication; null when none reports any. */
  engagements: number | null;
  /** Over the publications with an engagement rate only: their engagements and their bases. */
  ratedEngagements: number;
  ratedBase: number;
  ratedPosts: number;
  /** Sum of the per-publication engagement rates, for the mean. */
  rateSum: number;
  lastSyncedAt: Date | null;
}

export interface GoalProgress {
  kpi: GoalKpi;
  target: number;
  /** Null when post metrics do not measure this KPI (followers, leads, conversions, reach). */
  actual: number | null;
  /** actual / target × 100; may pass 100. */
  progress: number | null;
  reached: boolean;
}

export interface CampaignRollUp {
  posts: number;
  measuredPosts: number;
  totals: PostMetrics;
  engagements: number | null;
  /**
   * Ratio of sums: every rated publication's engagements over every rated publication's
   * impressions (or views) × 100. A post seen by many weighs more than one seen by few, so
   * this is the campaign's own rate, the one its goals are about.
   */
  engagementRate: number | null;
  /** Mean of the per-publication rates: how a typical post did, whatever its reach. */
  meanEngagementRate: number | null;
  lastSyncedAt: string | null;
  goals: GoalProgress[];
}

/** Which rolled-up number each goal KPI is measured by; KPIs post metrics cannot tell are absent. */
const MEASURED: Partial<Record<GoalKpi, (s: CampaignSums) => number>> = {
  posts: (s) => s.posts,
  impressions: (s) => s.totals.impressions ?? 0,
  clicks: (s) => s.totals.clicks ?? 0,
  engagements: (s) => s.engagements ?? 0,
};

export const measuredKpis = (): GoalKpi[] => Object.keys(MEASURED) as GoalKpi[];

export function goalProgress(goals: readonly CampaignGoal[], sums: CampaignSums): GoalProgress[] {
  return goals.map(({ kpi, target }) => {
    const measure = MEASURED[kpi];
    if (!measure) return { kpi, target, actual: null, progress: null, reached: false };
    const actual = measure(sums);
    return { kpi, target, actual, progress: percentOf(actual, target), reached: actual >= target };
  });
}

export function rollUp(goals: readonly CampaignGoal[], sums: CampaignSums): CampaignRollUp {
  return {
    posts: sums.posts,
    measuredPosts: sums.measuredPosts,
    totals: sums.totals,
    engagements: sums.engagements,
    engagementRate: sums.ratedBase > 0 ? percentOf(sums.ratedEngagements, sums.ratedBase) : null,
    meanEngagementRate: sums.ratedPosts > 0 ? sums.rateSum / sums.ratedPosts : null,
    lastSyncedAt: sums.lastSyncedAt?.toISOString() ?? null,
    goals: goalProgress(goals, sums),
  };
}

/** Totals with only the metrics some publication reported. */
export function totalsOf(row: Partial<Record<MetricName, string | number | null>>): PostMetrics {
  const out: PostMetrics = {};
  for (const name of METRIC_NAMES) {
    const value = row[name];
    if (value !== null && value !== undefined) out[name] = Number(value);
  }
  return out;
}
