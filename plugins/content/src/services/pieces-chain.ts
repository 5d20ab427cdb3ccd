import type { Knex } from 'knex';
import type { PieceStatus, PieceType } from '../contracts.js';
import { buildTree, MAX_CHAIN_DEPTH, type ChainNode } from '../domain/pieces-chain.js';

/** A piece as a chain lists it. */
export interface ChainPiece {
  id: string;
  parentId: string | null;
  type: PieceType;
  platform: string | null;
  title: string;
  status: PieceStatus;
  createdAt: string;
}

export interface PieceChain {
  /** From the root down to the piece's parent; empty for a root. */
  ancestors: ChainPiece[];
  /** The piece with its descendants, `depth` levels deep. */
  tree: ChainNode<ChainPiece & { depth: number }>;
  /** False when the chain has more than MAX_CHAIN_NODES descendants in reach and only the first are listed. */
  complete: boolean;
}

/** Most descendants one chain answer lists, nearest levels first. */
export const MAX_CHAIN_NODES = 1000;

interface ChainRow {
  id: string;
  parent_id: string | null;
  type: PieceType;
  platform: string | null;
  title: string;
  status: PieceStatus;
  created_at: Date;
  depth: number;
}

const entry = (r: ChainRow): ChainPiece & { depth: number } => ({
  id: r.id,
  parentId: r.parent_id,
  type: r.type,
  platform: r.platform,
  title: r.title,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  depth: r.depth,
});

// Every walk is bounded by depth, so a loop written around the trigger still ends.
const UP = `
  with recursive up as (
    select id, parent_id, type, platform, title, status, created_at, 0 as depth from content_pieces where id = ?
    union all
    select p.id, p.parent_id, p.type, p.platform, p.title, p.status, p.created_at, up.depth + 1
    from content_pieces p join up on p.id = up.parent_id where up.depth < ${MAX_CHAIN_DEPTH * 2}
  )`;

const DOWN = `
  with recursive down as (
    select id, parent_id, type, platform, title, status, created_at, 0 as depth from content_pieces where id = ?
    union all
    select p.id, p.parent_id, p.type, p.platform, p.title, p.status, p.created_at, down.depth + 1
    from content_pieces p join down on p.parent_id = down.id where down.depth < ?
  )`;

/** Serialises changes to the tenant's chains (the same lock the cycle trigger takes). */
export async function lockChains(db: Knex.Transaction, accountId: string): Promise<void> {
  await db.raw(`select pg_advisory_xact_lock(hashtext('content_pieces_chain'), hashtext(?::text))`, [accountId]);
}

/** The piece's id, then its parent's, up to the root. */
export async function ancestry(db: Knex.Transaction, id: string): Promise<string[]> {
  const { rows } = (await db.raw(`${UP} select id from up order by depth`, [id])) as { rows: { id: string }[] };
  return rows.map((r) => r.id);
}

/** How many levels hang under the piece (0 for a leaf). */
export async function subtreeHeight(db: Knex.Transaction, id: string): Promise<number> {
  const { rows } = (await db.raw(`${DOWN} select max(depth) as height from down`, [id, MAX_CHAIN_DEPTH * 2])) as { rows: { height: number | null }[] };
  return rows[0]?.height ?? 0;
}

/** The piece's ancestors and its descendants `depth` levels deep. */
export async function chainOf(db: Knex.Transaction, id: string, depth: number): Promise<PieceChain | undefined> {
  // One level more than asked, to tell which nodes have children that are not listed.
  const { rows } = (await db.raw(`${DOWN} select * from down order by depth, created_at, id limit ?`, [id, depth + 1, MAX_CHAIN_NODES + 2])) as { rows: ChainRow[] };
  const [root, ...descendants] = rows.map(entry);
  if (!root) return undefined;
  const up = (await db.raw(`${UP} select * from up where depth > 0 order by depth desc`, [id])) as { rows: ChainRow[] };
  return {
    ancestors: up.rows.map(entry).map(({ depth: _depth, ...rest }) => rest),
    tree: buildTree(root, descendants.slice(0, MAX_CHAIN_NODES), depth),
    complete: descendants.length <= MAX_CHAIN_NODES,
  };
}
