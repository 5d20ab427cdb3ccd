import type { JobDeclaration } from '@markettina/sdk';
import { socialRuntimeRef } from '../runtime.js';
import { syncDueMetrics } from '../services/metrics-sync.js';

/**
 * Reads the metrics of published posts whose next sync is due (see domain/metrics-cadence).
 * A cluster job: one node per tick, and a run that outlasts its minute makes the next tick
 * skip rather than overlap. Each run is bounded by `metrics.batchSize`.
 */
export const syncMetricsJob: JobDeclaration = {
  id: 'sync-metrics',
  schedule: { every: 60_000 },
  scope: 'cluster',
  async handler(ctx) {
    const rt = ctx.get(socialRuntimeRef);
    const report = await syncDueMetrics(rt, rt.config.metrics);
    if (report.synced + report.deleted + report.failed + report.held + report.unsupported > 0) rt.logger.info({ metricsSync: report }, 'metrics sync');
  },
};
