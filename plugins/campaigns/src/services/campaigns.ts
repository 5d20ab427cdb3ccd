import type { Knex } from 'knex';
import { newestFirst, problems, type EventBus, type Page, type PageRequest } from '@markettina/sdk';
import { EVENTS, type CampaignActivatedData, type CampaignCompletedData, type CampaignCreatedData, type CampaignGoal, type CampaignStatus, type CampaignView } from '../contracts.js';
import { applyPatch, newCampaign, spend, type CampaignFields, type CampaignPatch, type CampaignState } from '../domain/campaign.js';
import { assertDeletable, assertTransition } from '../domain/status.js';

export type { CampaignView };

export interface CampaignFilter {
  status?: CampaignStatus;
  /** Campaigns whose date range overlaps `[from, to]` (either end may be open). */
  from?: string;
  to?: string;
}

interface CampaignRow {
  id: string;
  name: string;
  description: string;
  goals: CampaignGoal[];
  start_date: string;
  end_date: string;
  budget_tokens: string;
  spent_tokens: string;
  status: CampaignStatus;
  created_at: Date;
  updated_at: Date;
}

// Dates as text: node-postgres would turn a `date` into a local-midnight Date and shift the day.
const COLUMNS = [
  'id',
  'name',
  'description',
  'goals',
  'start_date::text as start_date',
  'end_date::text as end_date',
  'budget_tokens',
  'spent_tokens',
  'status',
  'created_at',
  'updated_at',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const view = (r: CampaignRow): CampaignView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  goals: r.goals,
  startDate: r.start_date,
  endDate: r.end_date,
  budgetTokens: Number(r.budget_tokens),
  spentTokens: Number(r.spent_tokens),
  status: r.status,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const toColumns = (s: Partial<CampaignState>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  if (s.name !== undefined) out.name = s.name;
  if (s.description !== undefined) out.description = s.description;
  if (s.goals !== undefined) out.goals = JSON.stringify(s.goals);
  if (s.startDate !== undefined) out.start_date = s.startDate;
  if (s.endDate !== undefined) out.end_date = s.endDate;
  if (s.budgetTokens !== undefined) out.budget_tokens = s.budgetTokens;
  if (s.spentTokens !== undefined) out.spent_tokens = s.spentTokens;
  if (s.status !== undefined) out.status = s.status;
  return out;
};

/**
 * Campaigns of the tenant `db` is bound to (row level security scopes every query). Every
 * change that publishes an event publishes it through `db`, so the event exists exactly when
 * the change commits.
 */
export class CampaignStore {
  constructor(private readonly events: EventBus) {}

  private select(db: Knex.Transaction) {
    return db('campaigns').select(db.raw(COLUMNS.join(', ')));
  }

  /** The row, locked for the rest of the transaction so concurrent changes apply one after another. */
  private async locked(db: Knex.Transaction, id: string): Promise<CampaignView> {
    if (!UUID.test(id)) throw problems.notFound('campaign');
    const row = (await this.select(db).where({ id }).forUpdate().first()) as CampaignRow | undefined;
    if (!row) throw problems.notFound('campaign');
    return view(row);
  }

  async find(db: Knex.Transaction, id: string): Promise<CampaignView | undefined> {
    // A malformed id names no campaign; asking PostgreSQL would fail the transaction instead.
    if (!UUID.test(id)) return undefined;
    const row = (await this.select(db).where({ id }).first()) as CampaignRow | undefined;
    return row && view(row);
  }

  async get(db: Knex.Transaction, id: string): Promise<CampaignView> {
    const found = await this.find(db, id);
    if (!found) throw problems.notFound('campaign');
    return found;
  }

  async list(db: Knex.Transaction, filter: CampaignFilter, page: PageRequest): Promise<Page<CampaignView>> {
    if (filter.from && filter.to && filter.from > filter.to) {
      throw problems.badRequest('INVALID_DATE_RANGE', `from ${filter.from} is after to ${filter.to}`);
    }
    let q = this.select(db);
    if (filter.status) q = q.where({ status: filter.status });
    // Overlap of [start_date, end_date] with [from, to]: it ends on or after `from` and starts on or before `to`.
    if (filter.from) q = q.where('end_date', '>=', filter.from);
    if (filter.to) q = q.where('start_date', '<=', filter.to);
    return newestFirst(q, page, view);
  }

  async create(db: Knex.Transaction, accountId: string, fields: CampaignFields): Promise<CampaignView> {
    const state = newCampaign(fields);
    const [row] = (await db('campaigns').insert({ account_id: accountId, ...toColumns(state) }).returning('id')) as { id: string }[];
    const created = await this.get(db, row!.id);
    await this.events.publish<CampaignCreatedData>(db, {
      type: EVENTS.campaignCreated,
      aggregateId: created.id,
      subject: `campaigns/${created.id}`,
      data: { campaignId: created.id, name: created.name, startDate: created.startDate, endDate: created.endDate, budgetTokens: created.budgetTokens },
    });
    return created;
  }

  async update(db: Knex.Transaction, id: string, patch: CampaignPatch): Promise<CampaignView> {
    const current = await this.locked(db, id);
    const next = applyPatch(current, patch);
    return this.save(db, id, next);
  }

  async transition(db: Knex.Transaction, id: string, to: CampaignStatus): Promise<CampaignView> {
    const current = await this.locked(db, id);
    assertTransition(current.status, to);
    const saved = await this.save(db, id, { ...current, status: to });
    const from = current.status;
    const meta = { aggregateId: id, subject: `campaigns/${id}` };
    if (to === 'active') {
      await this.events.publish<CampaignActivatedData>(db, { type: EVENTS.campaignActivated, ...meta, data: { campaignId: id, from } });
    } else if (to === 'completed') {
      await this.events.publish<CampaignCompletedData>(db, {
        type: EVENTS.campaignCompleted,
        ...meta,
        data: { campaignId: id, from, budgetTokens: saved.budgetTokens, spentTokens: saved.spentTokens },
      });
    }
    return saved;
  }

  /** Takes `tokens` from an active campaign's budget; 422 when the budget would be exceeded. */
  async spend(db: Knex.Transaction, id: string, tokens: number): Promise<CampaignView> {
    if (!Number.isSafeInteger(tokens) || tokens <= 0) throw new RangeError(`tokens to spend must be a positive integer, not ${tokens}`);
    const current = await this.locked(db, id);
    return this.save(db, id, spend(current, tokens));
  }

  async remove(db: Knex.Transaction, id: string): Promise<void> {
    const current = await this.locked(db, id);
    assertDeletable(current.status);
    await db('campaigns').where({ id }).delete();
  }

  private async save(db: Knex.Transaction, id: string, state: CampaignState): Promise<CampaignView> {
    await db('campaigns').where({ id }).update({ ...toColumns(state), updated_at: db.fn.now() });
    return this.get(db, id);
  }
}
