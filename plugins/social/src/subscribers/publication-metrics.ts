import type { EventSubscription } from '@markettina/sdk';
import { PostPublished, type PostPublishedData } from '../contracts.js';
import { firstSyncAt } from '../domain/metrics-cadence.js';
import { socialRuntimeRef } from '../runtime.js';
import { enrolPublication } from '../store/metrics.js';

/**
 * A publication that goes live starts being measured: its first metrics read is due one
 * cadence interval after it was published. Runs in the delivery's tenant transaction, and
 * a redelivery finds the row already there. A platform that exposes no post metrics is
 * never asked.
 */
export const enrolPublishedPosts: EventSubscription = {
  event: PostPublished,
  subscriberId: 'enrol-metrics-sync',
  async handler(event, ctx) {
    const data = event.data as PostPublishedData;
    const connector = ctx.get(socialRuntimeRef).connectors.get(data.connector);
    const measurable = !connector || connector.capabilities.metrics.length > 0;
    const publishedAt = new Date(data.publishedAt);
    await enrolPublication(ctx.db, { publicationId: data.publicationId, publishedAt, nextSyncAt: measurable ? firstSyncAt(publishedAt) : null });
  },
};
