import { engagementRate, type Connector, type PostMetrics } from '@markettina/sdk';
import { MetricsSynced, type MetricsSyncedData } from '../contracts.js';
import { nextSyncAt } from '../domain/metrics-cadence.js';
import { ACCOUNT_PAUSE_MS, afterMiss, classifyReadFailure, groupBy, takeInTurns } from '../domain/metrics-sync.js';
import { correctedMetrics, reportedMetrics } from '../domain/metrics-values.js';
import type { SocialRuntime } from '../runtime.js';
import { findAccount, type AccountRow } from '../store/accounts.js';
import { deferAccount, dueSyncs, latestSnapshot, recordMiss, recordSync, type DueSync } from '../store/metrics.js';
import { withAccount } from './account-calls.js';

export interface MetricsSyncOptions {
  /** Most publications read in one run, over every tenant. */
  batchSize: number;
  /** Most publications of one connected account read in one run. */
  perAccount: number;
  /** Connected accounts read at the same time (each account's reads run one after another). */
  concurrency: number;
  /** The time a sync is stamped with (tests pin it). */
  clock?: () => Date;
}

export interface MetricsSyncReport {
  /** Snapshots stored (and MetricsSynced published). */
  synced: number;
  /** Posts found gone from their platform; not synced again. */
  deleted: number;
  /** Reads that failed; tried again at the next point of the cadence. */
  failed: number;
  /** Reads not made because the account must wait (rate limited, cannot make calls). */
  held: number;
  /** Publications whose platform exposes no post metrics; not synced again. */
  unsupported: number;
}

type Outcome = 'synced' | 'deleted' | 'failed' | 'held' | 'unsupported' | 'stale';

interface Due extends DueSync {
  tenantId: string;
}

/**
 * One run of the metrics sync: picks due publications of every tenant, in turns across
 * tenants and across each tenant's accounts, reads their metrics from the platforms outside
 * any transaction, and stores each read with its event in a short tenant transaction.
 */
export async function syncDueMetrics(rt: SocialRuntime, options: MetricsSyncOptions): Promise<MetricsSyncReport> {
  const clock = options.clock ?? (() => new Date());
  const now = clock();
  const perTenant: Due[][] = [];
  await rt.tenancy.forEachTenant('social', async (trx, tenant) => {
    const due = await dueSyncs(trx, now, options.perAccount, options.batchSize);
    if (due.length) perTenant.push(due.map((d) => ({ ...d, tenantId: tenant.accountId })));
  });
  const accounts = groupBy(takeInTurns(perTenant, options.batchSize), (d) => `${d.tenantId}/${d.socialAccountId}`);
  const report: MetricsSyncReport = { synced: 0, deleted: 0, failed: 0, held: 0, unsupported: 0 };
  let next = 0;
  const worker = async () => {
    while (next < accounts.length) {
      const group = accounts[next++]!;
      try {
        await syncAccount(rt, group, clock, report);
      } catch (err) {
        rt.logger.error({ err, socialAccount: group[0]!.socialAccountId }, 'metrics sync of an account crashed');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, accounts.length) }, worker));
  return report;
}

/** One account's due publications, one after another; the rest wait once the account must. */
async function syncAccount(rt: SocialRuntime, group: Due[], clock: () => Date, report: MetricsSyncReport): Promise<void> {
  for (const [i, due] of group.entries()) {
    const outcome = await syncOne(rt, due, clock);
    if (outcome === 'held') {
      report.held += group.length - i;
      return;
    }
    if (outcome !== 'stale') report[outcome]++;
  }
}

interface Ready {
  account: AccountRow;
  connector: Connector;
}

async function syncOne(rt: SocialRuntime, due: Due, clock: () => Date): Promise<Outcome> {
  const ready = await rt.tenancy.withTenant(due.tenantId, async (trx): Promise<Ready | Outcome> => {
    const account = await findAccount(trx, due.socialAccountId);
    const connector = rt.connectors.get(due.connector);
    if (!account || account.status !== 'connected' || !connector || !(await rt.isConnectorEnabled(trx, due.connector))) {
      await deferAccount(trx, due.socialAccountId, new Date(clock().getTime() + ACCOUNT_PAUSE_MS));
      return 'held';
    }
    if (!connector.fetchMetrics || connector.capabilities.metrics.length === 0) {
      return (await recordMiss(trx, due, { state: 'unsupported', nextSyncAt: null, error: null, countsAsFailure: false })) ? 'unsupported' : 'stale';
    }
    return { account, connector };
  });
  if (typeof ready === 'string') return ready;
  let metrics: PostMetrics;
  try {
    metrics = reportedMetrics(await withAccount(rt, undefined, due.tenantId, ready.account, (call) => call.connector.fetchMetrics!(call.ctx, due.externalId)));
  } catch (err) {
    return afterFailedRead(rt, due, ready.account, err, clock);
  }
  return store(rt, due, metrics, clock());
}

async function store(rt: SocialRuntime, due: Due, metrics: PostMetrics, syncedAt: Date): Promise<Outcome> {
  const rate = engagementRate(metrics);
  return rt.tenancy.withTenant(due.tenantId, async (trx) => {
    const previous = await latestSnapshot(trx, due.publicationId);
    if (!(await recordSync(trx, due, { syncedAt, metrics, engagementRate: rate, nextSyncAt: nextSyncAt(due.publishedAt, syncedAt) }))) return 'stale';
    const corrected = correctedMetrics(previous?.metrics, metrics);
    if (corrected.length) rt.logger.info({ publication: due.publicationId, corrected }, 'the platform lowered some counters; stored as reported');
    await rt.events.publish<MetricsSyncedData>(trx, {
      type: MetricsSynced,
      aggregateId: due.publicationId,
      subject: `social-publications/${due.publicationId}`,
      data: {
        publicationId: due.publicationId,
        socialAccountId: due.socialAccountId,
        connector: due.connector,
        source: due.source,
        campaignId: due.campaignId,
        syncedAt: syncedAt.toISOString(),
        metrics,
        engagementRate: rate,
      },
    });
    return 'synced';
  });
}

async function afterFailedRead(rt: SocialRuntime, due: Due, account: AccountRow, err: unknown, clock: () => Date): Promise<Outcome> {
  const failure = classifyReadFailure(err);
  const now = clock();
  if (failure.kind === 'wait' || failure.kind === 'account') {
    const until = new Date(now.getTime() + (failure.kind === 'wait' ? failure.retryAfterMs : ACCOUNT_PAUSE_MS));
    await rt.tenancy.withTenant(due.tenantId, (trx) => deferAccount(trx, due.socialAccountId, until));
    return 'held';
  }
  if (failure.kind === 'maybe-deleted') return confirmDeletion(rt, due, account, clock);
  rt.logger.warn({ publication: due.publicationId, reason: failure.reason }, 'metrics read failed');
  return miss(rt, due, now, failure.reason);
}

/**
 * The platform has no metrics for the post: asks it whether the post still exists. Gone,
 * it is never synced again; there, the read is a plain failure (some platforms count a
 * post only a while after it went live).
 */
async function confirmDeletion(rt: SocialRuntime, due: Due, account: AccountRow, clock: () => Date): Promise<Outcome> {
  let gone: boolean;
  try {
    const status = await withAccount(rt, undefined, due.tenantId, account, (call) => call.connector.checkStatus(call.ctx, { externalId: due.externalId }));
    gone = status.status === 'deleted';
  } catch (err) {
    const failure = classifyReadFailure(err);
    if (failure.kind !== 'maybe-deleted') return afterFailedRead(rt, due, account, err, clock);
    gone = true;
  }
  if (!gone) return miss(rt, due, clock(), 'the platform has no metrics for this post yet');
  const recorded = await rt.tenancy.withTenant(due.tenantId, (trx) =>
    recordMiss(trx, due, { state: 'deleted', nextSyncAt: null, error: 'the post was deleted on the platform', countsAsFailure: false }),
  );
  return recorded ? 'deleted' : 'stale';
}

async function miss(rt: SocialRuntime, due: Due, now: Date, reason: string): Promise<Outcome> {
  const recorded = await rt.tenancy.withTenant(due.tenantId, (trx) => recordMiss(trx, due, { ...afterMiss(due.publishedAt, now), error: reason, countsAsFailure: true }));
  return recorded ? 'failed' : 'stale';
}
