import type { Knex } from 'knex';
import { METRIC_NAMES, newestFirst, type Page, type PageRequest, type PostMetrics } from '@markettina/sdk';
import type { PublicationSource } from '../contracts.js';

const SNAPSHOTS = 'social_publication_metrics';
const SYNC = 'social_publication_metrics_sync';

export type SyncState = 'active' | 'deleted' | 'finished' | 'unsupported';

export interface SyncRow {
  publication_id: string;
  social_account_id: string;
  published_at: Date;
  state: SyncState;
  next_sync_at: Date | null;
  last_synced_at: Date | null;
  failures: number;
  last_error: string | null;
}

/** A publication whose metrics are due, with what the platform call and the event need. */
export interface DueSync {
  publicationId: string;
  socialAccountId: string;
  connector: string;
  externalId: string;
  publishedAt: Date;
  nextSyncAt: Date;
  campaignId: string | null;
  source: PublicationSource;
}

export interface Snapshot {
  id: string;
  syncedAt: string;
  metrics: PostMetrics;
  engagementRate: number | null;
}

/**
 * Starts following a publication that went live; a second call changes nothing, and
 * neither does a publication that no longer exists. Without a first sync time the platform
 * exposes no post metrics and the row only records that.
 */
export async function enrolPublication(db: Knex.Transaction, p: { publicationId: string; publishedAt: Date; nextSyncAt: Date | null }): Promise<void> {
  await db.raw(
    `insert into ${SYNC} (account_id, publication_id, social_account_id, published_at, state, next_sync_at)
     select p.account_id, p.id, p.social_account_id, ?, ?, ? from social_publications p where p.id = ?
     on conflict (account_id, publication_id) do nothing`,
    [p.publishedAt, p.nextSyncAt ? 'active' : 'unsupported', p.nextSyncAt, p.publicationId],
  );
}

interface DueRow {
  publication_id: string;
  social_account_id: string;
  connector: string;
  external_id: string;
  published_at: Date;
  next_sync_at: Date;
  campaign_id: string | null;
  source_plugin: string;
  source_id: string;
  source_version: number | null;
}

/**
 * Due syncs of the tenant `db` is bound to: at most `perAccount` per connected account,
 * taken in turns (every account's most overdue first, then every account's second...), at
 * most `limit` in all. One index range per account, so a backlog costs no more than the
 * rows taken.
 */
export async function dueSyncs(db: Knex.Transaction, now: Date, perAccount: number, limit: number): Promise<DueSync[]> {
  const { rows } = await db.raw<{ rows: DueRow[] }>(
    `select d.* from social_accounts a
     cross join lateral (
       select s.publication_id, s.social_account_id, p.connector, p.external_id, s.published_at, s.next_sync_at,
              p.campaign_id, p.source_plugin, p.source_id, p.source_version,
              row_number() over (order by s.next_sync_at, s.publication_id) as turn
         from ${SYNC} s
         join social_publications p on p.account_id = s.account_id and p.id = s.publication_id
        where s.account_id = a.account_id and s.social_account_id = a.id and s.state = 'active' and s.next_sync_at <= ?
          and p.status = 'published' and p.external_id is not null
        order by s.next_sync_at, s.publication_id
        limit ?
     ) d
     where a.status = 'connected'
     order by d.turn, d.next_sync_at, d.publication_id
     limit ?`,
    [now, perAccount, limit],
  );
  return rows.map((r) => ({
    publicationId: r.publication_id,
    socialAccountId: r.social_account_id,
    connector: r.connector,
    externalId: r.external_id,
    publishedAt: r.published_at,
    nextSyncAt: r.next_sync_at,
    campaignId: r.campaign_id,
    source: { plugin: r.source_plugin, id: r.source_id, ...(r.source_version !== null ? { version: r.source_version } : {}) },
  }));
}

export const findSync = (db: Knex.Transaction, publicationId: string) => db<SyncRow>(SYNC).where({ publication_id: publicationId }).first();

/** The latest snapshot of a publication, if it was ever read. */
export async function latestSnapshot(db: Knex.Transaction, publicationId: string): Promise<Snapshot | undefined> {
  const row = await db(SNAPSHOTS).where({ publication_id: publicationId }).orderBy([{ column: 'synced_at', order: 'desc' }, { column: 'id', order: 'desc' }]).first();
  return row && snapshotView(row as SnapshotRow);
}

/**
 * Stores one read of the platform's counters and moves the sync on, in one transaction.
 * Only an active row that still expects this sync (same `next_sync_at` as when it was
 * picked) is written, so two nodes, or a run that outlived its tick, never store a read
 * twice. Returns false when the row had moved on.
 */
export async function recordSync(
  db: Knex.Transaction,
  due: Pick<DueSync, 'publicationId' | 'nextSyncAt'>,
  read: { syncedAt: Date; metrics: PostMetrics; engagementRate: number | null; nextSyncAt: Date | null },
): Promise<boolean> {
  const moved = await db(SYNC)
    .where({ publication_id: due.publicationId, state: 'active', next_sync_at: due.nextSyncAt })
    .update({
      state: read.nextSyncAt ? 'active' : 'finished',
      next_sync_at: read.nextSyncAt,
      last_synced_at: read.syncedAt,
      failures: 0,
      last_error: null,
      updated_at: db.fn.now(),
    });
  if (moved === 0) return false;
  await db(SNAPSHOTS).insert({
    account_id: db.raw("nullif(current_setting('app.current_account_id', true), '')::uuid"),
    publication_id: due.publicationId,
    synced_at: read.syncedAt,
    ...Object.fromEntries(METRIC_NAMES.map((m) => [m, read.metrics[m] ?? null])),
    engagement_rate: read.engagementRate,
  });
  return true;
}

/** A sync that did not happen: tried again at `nextSyncAt`, or never when the state says it stops. */
export async function recordMiss(
  db: Knex.Transaction,
  due: Pick<DueSync, 'publicationId' | 'nextSyncAt'>,
  miss: { state: SyncState; nextSyncAt: Date | null; error: string | null; countsAsFailure: boolean },
): Promise<boolean> {
  const moved = await db(SYNC)
    .where({ publication_id: due.publicationId, state: 'active', next_sync_at: due.nextSyncAt })
    .update({
      state: miss.state,
      next_sync_at: miss.state === 'active' ? miss.nextSyncAt : null,
      ...(miss.countsAsFailure ? { failures: db.raw('failures + 1') } : {}),
      last_error: miss.error?.slice(0, 2000) ?? null,
      updated_at: db.fn.now(),
    });
  return moved > 0;
}

/**
 * Holds back every sync of one connected account due before `until` (the platform, or the
 * account's outbound budget, said to wait): they are skipped, not failed.
 */
export async function deferAccount(db: Knex.Transaction, socialAccountId: string, until: Date): Promise<number> {
  return db(SYNC).where({ social_account_id: socialAccountId, state: 'active' }).where('next_sync_at', '<', until).update({ next_sync_at: until, updated_at: db.fn.now() });
}

interface SnapshotRow {
  id: string;
  synced_at: Date;
  engagement_rate: number | null;
  [metric: string]: unknown;
}

function snapshotView(r: SnapshotRow): Snapshot {
  const metrics: PostMetrics = {};
  for (const m of METRIC_NAMES) if (r[m] !== null && r[m] !== undefined) metrics[m] = Number(r[m]);
  return { id: r.id, syncedAt: r.synced_at.toISOString(), metrics, engagementRate: r.engagement_rate };
}

/** Snapshots of a publication, newest first. */
export function snapshotHistory(db: Knex.Transaction, publicationId: string, page: PageRequest): Promise<Page<Snapshot>> {
  // The SDK pages by (created_at, id); a snapshot's instant is when it was read.
  const q = db.from(db(SNAPSHOTS).select('*', 'synced_at as created_at').where({ publication_id: publicationId }).as('m')).select('m.*');
  return newestFirst<SnapshotRow, Snapshot>(q, page, snapshotView, 'm');
}
