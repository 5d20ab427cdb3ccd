import type { Knex } from 'knex';
import { decodeCursor, encodeCursor, problems, type TenancyService } from '@markettina/sdk';

export interface AuditEntry {
  adminId: string | null;
  action: string;
  outcome: 'success' | 'failure';
  targetAccount?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
}

interface AuditRow {
  id: string;
  at: Date;
  admin_id: string | null;
  action: string;
  outcome: 'success' | 'failure';
  target_account: string | null;
  target: string | null;
  details: Record<string, unknown>;
  request_id: string | null;
}

export interface AuditView {
  id: string;
  at: string;
  adminId: string | null;
  action: string;
  outcome: 'success' | 'failure';
  targetAccount: string | null;
  target: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
}

const view = (r: AuditRow): AuditView => ({
  id: String(r.id),
  at: r.at.toISOString(),
  adminId: r.admin_id,
  action: r.action,
  outcome: r.outcome,
  targetAccount: r.target_account,
  target: r.target,
  details: r.details,
  requestId: r.request_id,
});

/**
 * The append-only log of administrators' actions. Entries about a change are written in
 * the transaction that makes it, so the log and the change commit together; refused
 * attempts (a failed login) are written in a transaction of their own so they survive
 * the refusal. The database refuses UPDATE, DELETE and TRUNCATE on the table.
 */
export class AdminAudit {
  constructor(private readonly tenancy: TenancyService) {}

  async record(db: Knex.Transaction, entry: AuditEntry): Promise<void> {
    await db('identity_admin_audit').insert({
      admin_id: entry.adminId,
      action: entry.action,
      outcome: entry.outcome,
      target_account: entry.targetAccount ?? null,
      target: entry.target ?? null,
      details: entry.details ?? {},
      request_id: entry.requestId ?? null,
    });
  }

  recordAlone(entry: AuditEntry): Promise<void> {
    return this.tenancy.withoutTenant((db) => this.record(db, entry));
  }

  async list(db: Knex.Transaction, page: { limit: number; cursor?: string; targetAccount?: string }): Promise<{ items: AuditView[]; nextCursor: string | null }> {
    let q = db<AuditRow>('identity_admin_audit').orderBy('id', 'desc').limit(page.limit + 1);
    if (page.targetAccount) q = q.where({ target_account: page.targetAccount });
    if (page.cursor) {
      const key = decodeCursor(page.cursor, 1);
      if (!key || typeof key[0] !== 'string' || !/^[1-9]\d{0,18}$/.test(key[0]) || BigInt(key[0]) > 2n ** 63n - 1n) throw problems.badRequest('INVALID_CURSOR', 'cursor is not one this API issued');
      q = q.where('id', '<', key[0]);
    }
    const rows = await q;
    const items = rows.slice(0, page.limit).map(view);
    return { items, nextCursor: rows.length > page.limit ? encodeCursor([items.at(-1)!.id]) : null };
  }
}
