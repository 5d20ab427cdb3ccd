import type { Knex } from 'knex';
import { engagementBase, engagements, engagementRate, METRIC_NAMES, type EventBus, type MetricName, type PostMetrics } from '@markettina/sdk';
import { EVENTS, type CampaignGoalReachedData } from '../contracts.js';
import { rollUp, totalsOf, type CampaignRollUp, type CampaignSums } from '../domain/metrics.js';
import type { CampaignStore } from './campaigns.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A publication of a campaign, as the social plugin's events name it. */
export interface CampaignPublication {
  campaignId: string | null;
  publicationId: string;
  socialAccountId: string;
  connector: string;
}

export interface CampaignMetricsView extends CampaignRollUp {
  campaignId: string;
}

interface SumsRow {
  posts: string;
  measured_posts: string;
  engagements: string | null;
  rated_engagements: string | null;
  rated_base: string | null;
  rated_posts: string;
  rate_sum: number | null;
  last_synced_at: Date | null;
}

const SUMS = [
  'count(*) as posts',
  'count(synced_at) as measured_posts',
  ...METRIC_NAMES.map((m) => `sum(${m}) as ${m}`),
  'sum(engagements) as engagements',
  'sum(engagements) filter (where engagement_rate is not null) as rated_engagements',
  'sum(engagement_base) filter (where engagement_rate is not null) as rated_base',
  'count(engagement_rate) as rated_posts',
  'sum(engagement_rate) as rate_sum',
  'max(synced_at) as last_synced_at',
].join(', ');

/**
 * The latest totals of each publication of a campaign and what they add up to. Writes come
 * from event handlers, in the handler's tenant transaction: a row only moves forward (a
 * MetricsSynced read earlier than the stored one changes nothing), so duplicate and
 * out-of-order deliveries leave the same result as in-order ones.
 */
export class CampaignMetricsStore {
  constructor(
    private readonly events: EventBus,
    private readonly campaigns: CampaignStore,
  ) {}

  /** A publication went live. Returns whether the campaign's numbers changed. */
  async recordPublished(db: Knex.Transaction, accountId: string, p: CampaignPublication, publishedAt: string): Promise<boolean> {
    if (!p.campaignId || !UUID.test(p.campaignId)) return false;
    const { rows } = await db.raw<{ rows: unknown[] }>(
      `insert into campaign_publication_metrics (account_id, campaign_id, publication_id, social_account_id, connector, published_at)
       select :accountId, c.id, :publicationId, :socialAccountId, :connector, :publishedAt from campaigns c where c.id = :campaignId
       on conflict (account_id, campaign_id, publication_id) do update set published_at = excluded.published_at, updated_at = now()
         where campaign_publication_metrics.published_at is null
       returning 1`,
      { accountId, campaignId: p.campaignId, publicationId: p.publicationId, socialAccountId: p.socialAccountId, connector: p.connector, publishedAt },
    );
    return rows.length > 0;
  }

  /**
   * A publication's latest totals. Only a newer read replaces an older one; a first
   * MetricsSynced for a publication whose PostPublished has not arrived yet also counts it
   * as published (metrics exist only for live posts). Returns whether anything changed.
   */
  async recordSynced(db: Knex.Transaction, accountId: string, p: CampaignPublication, syncedAt: string, metrics: PostMetrics): Promise<boolean> {
    if (!p.campaignId || !UUID.test(p.campaignId)) return false;
    const values = Object.fromEntries(METRIC_NAMES.map((m) => [m, metrics[m] ?? null]));
    const derived = { engagements: engagements(metrics), engagement_base: engagementBase(metrics), engagement_rate: engagementRate(metrics) };
    const columns = [...METRIC_NAMES, 'engagements', 'engagement_base', 'engagement_rate'];
    const { rows } = await db.raw<{ rows: unknown[] }>(
      `insert into campaign_publication_metrics (account_id, campaign_id, publication_id, social_account_id, connector, synced_at, ${columns.join(', ')})
       select :accountId, c.id, :publicationId, :socialAccountId, :connector, :syncedAt, ${columns.map((c) => `:${c}`).join(', ')} from campaigns c where c.id = :campaignId
       on conflict (account_id, campaign_id, publication_id) do update set
         synced_at = excluded.synced_at, ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = now()
         where campaign_publication_metrics.synced_at is null or campaign_publication_metrics.synced_at < excluded.synced_at
       returning 1`,
      { accountId, campaignId: p.campaignId, publicationId: p.publicationId, socialAccountId: p.socialAccountId, connector: p.connector, syncedAt, ...values, ...derived },
    );
    return rows.length > 0;
  }

  async sums(db: Knex.Transaction, campaignId: string): Promise<CampaignSums> {
    const row = (await db('campaign_publication_metrics').where({ campaign_id: campaignId }).first(db.raw(SUMS))) as SumsRow & Partial<Record<MetricName, string | null>>;
    return {
      posts: Number(row.posts),
      measuredPosts: Number(row.measured_posts),
      totals: totalsOf(row),
      engagements: row.engagements === null ? null : Number(row.engagements),
      ratedEngagements: Number(row.rated_engagements ?? 0),
      ratedBase: Number(row.rated_base ?? 0),
      ratedPosts: Number(row.rated_posts),
      rateSum: row.rate_sum ?? 0,
      lastSyncedAt: row.last_synced_at,
    };
  }

  /** The campaign's roll-up; 404 when there is no such campaign. */
  async rollUp(db: Knex.Transaction, campaignId: string): Promise<CampaignMetricsView> {
    const campaign = await this.campaigns.get(db, campaignId);
    return { campaignId, ...rollUp(campaign.goals, await this.sums(db, campaignId)) };
  }

  /**
   * Publishes CampaignGoalReached, in `db`, for every goal the campaign's numbers now meet
   * and that was not announced at this target before.
   */
  async announceReachedGoals(db: Knex.Transaction, accountId: string, campaignId: string): Promise<void> {
    const view = await this.rollUp(db, campaignId);
    for (const goal of view.goals) {
      if (!goal.reached) continue;
      const { rows } = await db.raw<{ rows: unknown[] }>(
        `insert into campaign_goals_reached (account_id, campaign_id, kpi, target, actual) values (?, ?, ?, ?, ?)
         on conflict do nothing returning 1`,
        [accountId, campaignId, goal.kpi, goal.target, goal.actual],
      );
      if (rows.length === 0) continue;
      await this.events.publish<CampaignGoalReachedData>(db, {
        type: EVENTS.campaignGoalReached,
        aggregateId: campaignId,
        subject: `campaigns/${campaignId}`,
        data: { campaignId, kpi: goal.kpi, target: goal.target, actual: goal.actual! },
      });
    }
  }
}
