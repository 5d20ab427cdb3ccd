import type { DomainEvent, EventSubscription, TenantContext } from '@markettina/sdk';
import { MetricsSynced, PostPublished, type MetricsSyncedData, type PostPublishedData } from '@markettina/plugin-social/contracts';
import { campaignsInternals } from '../services/index.js';

/**
 * The campaign roll-up follows the social plugin's publications: each PostPublished counts
 * a post, each MetricsSynced replaces that post's totals. Both run in the delivery's tenant
 * transaction, so a goal reached by the change is announced exactly when the change commits.
 */
async function apply(ctx: TenantContext, campaignId: string | null, change: () => Promise<boolean>): Promise<void> {
  if (!(await change()) || !campaignId) return;
  await ctx.get(campaignsInternals).metrics.announceReachedGoals(ctx.db, ctx.tenant.accountId, campaignId);
}

export const metricsSubscriptions: EventSubscription[] = [
  {
    event: PostPublished,
    subscriberId: 'count-published-posts',
    handler: async (event: DomainEvent, ctx: TenantContext) => {
      const data = event.data as PostPublishedData;
      await apply(ctx, data.campaignId, () => ctx.get(campaignsInternals).metrics.recordPublished(ctx.db, ctx.tenant.accountId, data, data.publishedAt));
    },
  },
  {
    event: MetricsSynced,
    subscriberId: 'roll-up-post-metrics',
    handler: async (event: DomainEvent, ctx: TenantContext) => {
      const data = event.data as MetricsSyncedData;
      await apply(ctx, data.campaignId, () => ctx.get(campaignsInternals).metrics.recordSynced(ctx.db, ctx.tenant.accountId, data, data.syncedAt, data.metrics));
    },
  },
];
