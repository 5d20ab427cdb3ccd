import { decodeCursor, encodeCursor, problems } from '@markettina/sdk';
import type { Knex } from 'knex';
import type { PublicationDraft, PublicationStatus, PublicationView } from '../contracts.js';
import { RATE_LIMITED, type Change } from '../domain/publication-state.js';

export interface PublicationRow {
  account_id: string;
  id: string;
  social_account_id: string;
  connector: string;
  source_plugin: string;
  source_id: string;
  source_version: number | null;
  campaign_id: string | null;
  draft: PublicationDraft;
  due_at: Date;
  time_zone: string | null;
  status: PublicationStatus;
  attempts: number;
  next_attempt_at: Date | null;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  outcome_unknown: boolean;
  pending_since: Date | null;
  external_id: string | null;
  url: string | null;
  parts: { externalId: string; url?: string }[];
  pending_ref: string | null;
  failure_code: string | null;
  failure_reason: string | null;
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const TABLE = 'social_publications';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const invalidCursor = () => problems.badRequest('INVALID_CURSOR', 'cursor is not one this API issued');

export const findPublication = (db: Knex.Transaction, id: string) => db<PublicationRow>(TABLE).where({ id }).first();

export interface NewPublication {
  id: string;
  socialAccountId: string;
  connector: string;
  source: { plugin: string; id: string; version?: number };
  campaignId: string | null;
  draft: PublicationDraft;
  dueAt: Date;
  timeZone: string | null;
}

/** Inserts a scheduled publication for the tenant `db` is bound to. */
export async function insertPublication(db: Knex.Transaction, p: NewPublication): Promise<PublicationRow> {
  const [row] = await db(TABLE)
    .insert({
      account_id: db.raw("nullif(current_setting('app.current_account_id', true), '')::uuid"),
      id: p.id,
      social_account_id: p.socialAccountId,
      connector: p.connector,
      source_plugin: p.source.plugin,
      source_id: p.source.id,
      source_version: p.source.version ?? null,
      campaign_id: p.campaignId,
      draft: JSON.stringify(p.draft),
      due_at: p.dueAt,
      time_zone: p.timeZone,
      status: 'scheduled',
      next_attempt_at: p.dueAt,
    })
    .returning('*');
  return row as PublicationRow;
}

/** Moves a publication still `scheduled`; undefined when it is not (any more). */
export async function moveScheduled(db: Knex.Transaction, id: string, dueAt: Date, timeZone: string | null | undefined): Promise<PublicationRow | undefined> {
  const [row] = await db(TABLE)
    .where({ id, status: 'scheduled' })
    .update({ due_at: dueAt, next_attempt_at: dueAt, ...(timeZone !== undefined ? { time_zone: timeZone } : {}), updated_at: db.fn.now() })
    .returning('*');
  return row as PublicationRow | undefined;
}

/** Cancels a publication nobody holds and no earlier attempt may have published. */
export async function cancelUnclaimed(db: Knex.Transaction, id: string): Promise<PublicationRow | undefined> {
  const [row] = await db(TABLE)
    .where({ id, outcome_unknown: false })
    .whereIn('status', ['scheduled', 'retrying'])
    .update({ status: 'cancelled', next_attempt_at: null, updated_at: db.fn.now() })
    .returning('*');
  return row as PublicationRow | undefined;
}

export const forSource = (db: Knex.Transaction, plugin: string, id: string) =>
  db<PublicationRow>(TABLE).where({ source_plugin: plugin, source_id: id }).orderBy([{ column: 'created_at' }, { column: 'id' }]);

/** A claimed row, if this claim still holds it. */
export const findLeased = (db: Knex.Transaction, id: string, owner: string) => db<PublicationRow>(TABLE).where({ id, lease_owner: owner }).whereIn('status', ['publishing', 'pending']).first();

const leaseColumns = (db: Knex.Transaction, leaseMs: number) => {
  const until = db.raw('clock_timestamp() + make_interval(secs => ?)', [leaseMs / 1000]);
  return { lease_expires_at: until, next_attempt_at: until };
};

/** Pushes the lease out while a slow platform call runs; false once another node holds the row. */
export async function renewLease(db: Knex.Transaction, id: string, owner: string, leaseMs: number): Promise<boolean> {
  return (await db(TABLE).where({ id, lease_owner: owner }).whereIn('status', ['publishing', 'pending']).update(leaseColumns(db, leaseMs))) > 0;
}

/** First key of the advisory locks on an account's rate queue ('SPRQ'). */
const RATE_QUEUE_LOCK_CLASS = 0x53505251;

/**
 * When the claim looks at the row again. A publication held back by the account's budget
 * goes `spacingMs` behind the last one already waiting on that budget: woken together,
 * they would all be refused again but one.
 */
function nextAttemptAt(db: Knex.Transaction, socialAccountId: string, change: Change): Knex.Raw | null {
  if (change.nextAttemptInMs === null) return null;
  const after = db.raw('clock_timestamp() + make_interval(secs => ?)', [change.nextAttemptInMs / 1000]);
  if (!change.lineUp) return after;
  return db.raw(
    `greatest(?, (select max(q.next_attempt_at) from ${TABLE} q where q.social_account_id = ? and q.status = 'retrying' and q.failure_code = ?) + make_interval(secs => ?))`,
    [after, socialAccountId, RATE_LIMITED, change.lineUp.spacingMs / 1000],
  );
}

/**
 * Writes a decision, only if this claim still holds the row (compare-and-set on status and
 * lease owner), so a node that lost its lease never overwrites the node that took over.
 */
export async function recordChange(db: Knex.Transaction, row: Pick<PublicationRow, 'id' | 'status' | 'social_account_id'>, owner: string, change: Change): Promise<PublicationRow | undefined> {
  const columns: Record<string, unknown> = {
    status: change.status,
    attempts: change.attemptsDelta === 0 ? db.raw('attempts') : db.raw('greatest(attempts + ?, 0)', [change.attemptsDelta]),
    next_attempt_at: nextAttemptAt(db, row.social_account_id, change),
    outcome_unknown: change.outcomeUnknown,
    failure_code: change.failure?.code ?? null,
    failure_reason: change.failure?.reason.slice(0, 2000) ?? null,
    lease_owner: null,
    lease_expires_at: null,
    updated_at: db.raw('clock_timestamp()'),
  };
  if (change.published) {
    Object.assign(columns, {
      external_id: change.published.externalId,
      url: change.published.url,
      parts: JSON.stringify(change.published.parts),
      published_at: db.raw('clock_timestamp()'),
      pending_ref: null,
    });
  }
  if (change.pending) {
    columns.pending_ref = change.pending.ref;
    if (change.pending.startsNow) columns.pending_since = db.raw('clock_timestamp()');
  }
  // One writer at a time per account's queue, or two held-back rows would take the same place in it.
  if (change.lineUp) await db.raw('select pg_advisory_xact_lock(?::int, hashtext(?))', [RATE_QUEUE_LOCK_CLASS, row.social_account_id]);
  const [updated] = await db(TABLE).where({ id: row.id, status: row.status, lease_owner: owner }).update(columns).returning('*');
  return updated as PublicationRow | undefined;
}

export function publicationView(r: PublicationRow): PublicationView {
  return {
    id: r.id,
    socialAccountId: r.social_account_id,
    connector: r.connector,
    status: r.status,
    dueAt: r.due_at.toISOString(),
    timeZone: r.time_zone,
    source: { plugin: r.source_plugin, id: r.source_id, ...(r.source_version !== null ? { version: r.source_version } : {}) },
    campaignId: r.campaign_id,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'scheduled' || r.status === 'retrying' || r.status === 'pending' ? (r.next_attempt_at?.toISOString() ?? null) : null,
    externalId: r.external_id,
    url: r.url,
    publishedAt: r.published_at?.toISOString() ?? null,
    failure: r.failure_code ? { code: r.failure_code, reason: r.failure_reason ?? '' } : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export interface PublicationFilter {
  status?: PublicationStatus;
  /** Connector id. */
  platform?: string;
  campaignId?: string;
  socialAccountId?: string;
  dueFrom?: string;
  dueTo?: string;
}

/**
 * One page of publications in due order (`due_at`, then id). The cursor carries the last
 * row's `due_at` as PostgreSQL prints it, so no microsecond is lost between pages; a cursor
 * PostgreSQL cannot read is a 400, never a database error.
 */
export async function listPublications(db: Knex.Transaction, filter: PublicationFilter, page: { limit: number; cursor?: string }): Promise<{ items: PublicationView[]; nextCursor: string | null }> {
  let q = db<PublicationRow>(TABLE)
    .select('*', db.raw('due_at::text as cursor_at'))
    .orderBy([{ column: 'due_at' }, { column: 'id' }])
    .limit(page.limit + 1);
  if (filter.status) q = q.where('status', filter.status);
  if (filter.platform) q = q.where('connector', filter.platform);
  if (filter.campaignId) q = q.where('campaign_id', filter.campaignId);
  if (filter.socialAccountId) q = q.where('social_account_id', filter.socialAccountId);
  if (filter.dueFrom) q = q.where('due_at', '>=', filter.dueFrom);
  if (filter.dueTo) q = q.where('due_at', '<', filter.dueTo);
  if (page.cursor) {
    const key = decodeCursor(page.cursor, 2);
    if (!key || typeof key[0] !== 'string' || typeof key[1] !== 'string' || !UUID.test(key[1])) throw invalidCursor();
    q = q.whereRaw('(due_at, id) > (?::timestamptz, ?::uuid)', [key[0], key[1]]);
  }
  let rows: (PublicationRow & { cursor_at: string })[];
  try {
    rows = (await q) as (PublicationRow & { cursor_at: string })[];
  } catch (err) {
    // 22xxx: data exceptions, here a cursor timestamp PostgreSQL cannot read.
    if (page.cursor && /^22/.test(String((err as { code?: string }).code))) throw invalidCursor();
    throw err;
  }
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return { items: shown.map(publicationView), nextCursor: rows.length > page.limit && last ? encodeCursor([last.cursor_at, last.id]) : null };
}
