import type { Knex } from 'knex';
import { newestFirst, problems, type EventBus, type Page, type PageRequest } from '@markettina/sdk';
import {
  EVENTS,
  type ContentPieceCreatedData,
  type ContentRepurposedData,
  type PieceApprovalGrantedData,
  type PieceApprovalRejectedData,
  type PieceApprovalRequestedData,
  type PieceStatus,
  type PieceType,
} from '../contracts.js';
import { newPiece, patchPiece, type GeneratedBy, type PieceFields, type PieceInput } from '../domain/pieces.js';
import { assertChainDepth, assertNotOwnAncestor } from '../domain/pieces-chain.js';
import { assertReviewNotes, assertTransition, REVIEWER_DECISIONS } from '../domain/pieces-status.js';
import { repurpose, type RepurposeTarget } from '../domain/repurpose.js';
import { assertNotOwnWork } from '../domain/review.js';
import { analyzeContent, type ContentAnalysis } from '../domain/text-metrics-analysis.js';
import type { ContentCaller } from './caller.js';
import { assertCampaign } from './campaigns.js';
import { ancestry, chainOf, lockChains, subtreeHeight, type PieceChain } from './pieces-chain.js';
import { isUuid } from './ids.js';

export interface PieceView extends PieceFields {
  id: string;
  parentId: string | null;
  status: PieceStatus;
  reviewedBy: string | null;
  reviewNotes: string | null;
  reviewedAt: string | null;
  approvedAt: string | null;
  scores: ContentAnalysis['scores'];
  analysis: Omit<ContentAnalysis, 'scores'>;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PieceFilter {
  type?: PieceType;
  status?: PieceStatus;
  platform?: string;
  campaignId?: string;
  /** Created at or after this instant. */
  createdFrom?: string;
  /** Created before this instant. */
  createdTo?: string;
}

interface PieceRow {
  id: string;
  type: PieceType;
  title: string;
  body: string;
  parts: string[];
  keywords: string[];
  meta_title: string | null;
  meta_description: string | null;
  campaign_id: string | null;
  platform: string | null;
  parent_id: string | null;
  generated_by: GeneratedBy;
  status: PieceStatus;
  submitted_by: string | null;
  edited_by: string | null;
  reviewed_by: string | null;
  review_notes: string | null;
  reviewed_at: Date | null;
  approved_at: Date | null;
  quality_score: number;
  readability_score: number;
  seo_score: number;
  analysis: ContentAnalysis;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const view = (r: PieceRow): PieceView => ({
  id: r.id,
  type: r.type,
  title: r.title,
  body: r.body,
  parts: r.parts,
  keywords: r.keywords,
  metaTitle: r.meta_title,
  metaDescription: r.meta_description,
  campaignId: r.campaign_id,
  platform: r.platform,
  parentId: r.parent_id,
  generatedBy: r.generated_by,
  status: r.status,
  reviewedBy: r.reviewed_by,
  reviewNotes: r.review_notes,
  reviewedAt: r.reviewed_at?.toISOString() ?? null,
  approvedAt: r.approved_at?.toISOString() ?? null,
  scores: { quality: r.quality_score, readability: r.readability_score, seo: r.seo_score },
  analysis: { metrics: r.analysis.metrics, breakdown: r.analysis.breakdown },
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** The piece's columns with its scores, computed again from the text on every write. */
function toColumns(f: PieceFields): Record<string, unknown> {
  const analysis = analyzeContent(f);
  return {
    type: f.type,
    title: f.title,
    body: f.body,
    parts: f.parts,
    keywords: f.keywords,
    meta_title: f.metaTitle,
    meta_description: f.metaDescription,
    campaign_id: f.campaignId,
    platform: f.platform,
    generated_by: f.generatedBy,
    quality_score: analysis.scores.quality,
    readability_score: analysis.scores.readability,
    seo_score: analysis.scores.seo,
    analysis: JSON.stringify(analysis),
  };
}

/** Content pieces of the tenant `db` is bound to; events are published through `db`, so they exist exactly when the change commits. */
export class PieceStore {
  constructor(private readonly events: EventBus) {}

  private async row(db: Knex.Transaction, id: string, lock: boolean): Promise<PieceRow | undefined> {
    if (!isUuid(id)) return undefined;
    const q = db('content_pieces').where({ id });
    // NO KEY UPDATE: it still lets other transactions insert children of this piece (their
    // foreign key check takes KEY SHARE), so moves and repurposing never wait on each other in a cycle.
    return (await (lock ? q.forNoKeyUpdate() : q).first()) as PieceRow | undefined;
  }

  async get(db: Knex.Transaction, id: string, lock = false): Promise<PieceView> {
    const row = await this.row(db, id, lock);
    if (!row) throw problems.notFound('content piece');
    return view(row);
  }

  async list(db: Knex.Transaction, filter: PieceFilter, page: PageRequest): Promise<Page<PieceView>> {
    if (filter.createdFrom && filter.createdTo && Date.parse(filter.createdFrom) > Date.parse(filter.createdTo)) {
      throw problems.badRequest('INVALID_DATE_RANGE', `createdFrom ${filter.createdFrom} is after createdTo ${filter.createdTo}`);
    }
    let q = db('content_pieces').select('*');
    for (const [key, column] of [['type', 'type'], ['status', 'status'], ['platform', 'platform'], ['campaignId', 'campaign_id']] as const) {
      if (filter[key]) q = q.where(column, filter[key]);
    }
    if (filter.createdFrom) q = q.where('created_at', '>=', filter.createdFrom);
    if (filter.createdTo) q = q.where('created_at', '<', filter.createdTo);
    return newestFirst(q, page, view);
  }

  async create(c: ContentCaller, input: PieceInput & Pick<PieceFields, 'type' | 'title'>): Promise<PieceView> {
    const fields = newPiece(input);
    await assertCampaign(c.campaigns, fields.campaignId);
    return this.insert(c, fields, null);
  }

  async update(c: ContentCaller, id: string, patch: PieceInput & { parentId?: string | null }): Promise<PieceView> {
    const { db } = c;
    // A move takes the tenant's chain lock before any row lock, in the same order as repurposing.
    if (patch.parentId !== undefined) await lockChains(db, c.accountId);
    const current = await this.get(db, id, true);
    const next = patchPiece(current, patch);
    if (next.campaignId !== current.campaignId) await assertCampaign(c.campaigns, next.campaignId);
    const parent = patch.parentId !== undefined && patch.parentId !== current.parentId ? { parent_id: await this.checkedParent(db, id, patch.parentId) } : {};
    await db('content_pieces')
      .where({ id })
      .update({ ...toColumns(next), ...parent, edited_by: c.actorId, updated_at: db.fn.now() });
    return this.get(db, id);
  }

  /** The new parent, once it is known that the move keeps the chain a bounded tree. */
  private async checkedParent(db: Knex.Transaction, id: string, parentId: string | null): Promise<string | null> {
    if (parentId === null) return null;
    const up = isUuid(parentId) ? await ancestry(db, parentId) : [];
    if (up.length === 0) throw problems.invalid('PIECE_PARENT_NOT_FOUND', `there is no content piece ${parentId}`, { parentId });
    assertNotOwnAncestor(id, up);
    assertChainDepth(up.length, await subtreeHeight(db, id));
    return parentId;
  }

  async remove({ db }: ContentCaller, id: string): Promise<void> {
    // FOR UPDATE (not the NO KEY UPDATE of edits): a child being added now waits, then fails its foreign key.
    if (!isUuid(id) || !(await db('content_pieces').where({ id }).forUpdate().first('id'))) throw problems.notFound('content piece');
    const child = await db('content_pieces').where({ parent_id: id }).first('id');
    if (child) throw problems.conflict('PIECE_HAS_CHILDREN', 'the piece has repurposed children; delete them or move them to another parent first', { pieceId: id });
    await db('content_pieces').where({ id }).delete();
  }

  /**
   * Moves a piece through its review (see pieces-status.ts). A reviewer does not decide on a
   * piece they last changed or submitted, unless the tenant allows self-approval.
   */
  async transition(c: ContentCaller, id: string, to: PieceStatus, notes: string | undefined): Promise<PieceView> {
    const { db } = c;
    const current = await this.row(db, id, true);
    if (!current) throw problems.notFound('content piece');
    assertTransition(current.status, to);
    assertReviewNotes(to, notes);
    const decision = REVIEWER_DECISIONS.includes(to);
    if (decision) assertNotOwnWork(c.actorId, [current.edited_by, current.submitted_by], (await c.settings()).allowSelfApproval);
    const review = decision ? { reviewed_by: c.actorId ?? 'unknown', review_notes: notes ?? null, reviewed_at: db.fn.now() } : {};
    const submitted = to === 'review' ? { submitted_by: c.actorId } : {};
    await db('content_pieces')
      .where({ id })
      .update({ status: to, ...submitted, ...review, approved_at: to === 'approved' ? db.fn.now() : null, updated_at: db.fn.now() });
    await this.announceReview(c, id, to, notes);
    return this.get(db, id);
  }

  /** The review events posts publish too: submitted, approved, rejected; none for going back to draft. */
  private async announceReview(c: ContentCaller, pieceId: string, to: PieceStatus, notes: string | undefined): Promise<void> {
    const event = { aggregateId: pieceId, subject: `pieces/${pieceId}` };
    if (to === 'review') {
      await this.events.publish<PieceApprovalRequestedData>(c.db, { ...event, type: EVENTS.pieceApprovalRequested, data: { pieceId, requestedBy: c.actorId } });
    } else if (to === 'approved') {
      await this.events.publish<PieceApprovalGrantedData>(c.db, { ...event, type: EVENTS.pieceApprovalGranted, data: { pieceId, approvedBy: c.actorId, notes: notes ?? null } });
    } else if (to === 'rejected') {
      await this.events.publish<PieceApprovalRejectedData>(c.db, { ...event, type: EVENTS.pieceApprovalRejected, data: { pieceId, rejectedBy: c.actorId, reason: notes ?? '' } });
    }
  }

  /** Children adapted from the piece, one per target, under it in its chain. */
  async repurpose(c: ContentCaller, id: string, targets: readonly RepurposeTarget[]): Promise<PieceView[]> {
    const { db } = c;
    await lockChains(db, c.accountId);
    const source = await this.get(db, id);
    assertChainDepth((await ancestry(db, id)).length, 0);
    const children: PieceView[] = [];
    for (const target of targets) {
      const fields = newPiece({ ...repurpose(source, target), campaignId: source.campaignId });
      children.push(await this.insert(c, fields, source.id));
    }
    await this.events.publish<ContentRepurposedData>(db, {
      type: EVENTS.contentRepurposed,
      aggregateId: id,
      subject: `pieces/${id}`,
      data: { parentId: id, children: children.map((c) => ({ pieceId: c.id, type: c.type, platform: c.platform })) },
    });
    return children;
  }

  async chain(db: Knex.Transaction, id: string, depth: number): Promise<PieceChain> {
    const chain = isUuid(id) ? await chainOf(db, id, depth) : undefined;
    if (!chain) throw problems.notFound('content piece');
    return chain;
  }

  private async insert(c: ContentCaller, fields: PieceFields, parentId: string | null): Promise<PieceView> {
    const { db } = c;
    const [row] = (await db('content_pieces')
      .insert({ account_id: c.accountId, ...toColumns(fields), parent_id: parentId, created_by: c.actorId, edited_by: c.actorId })
      .returning('id')) as { id: string }[];
    const created = await this.get(db, row!.id);
    await this.events.publish<ContentPieceCreatedData>(db, {
      type: EVENTS.contentPieceCreated,
      aggregateId: created.id,
      subject: `pieces/${created.id}`,
      data: { pieceId: created.id, type: created.type, title: created.title, platform: created.platform, parentId, campaignId: created.campaignId },
    });
    return created;
  }
}
