import { problems } from '@markettina/sdk';

/**
 * Repurposing chains: a piece's parent is the piece it was adapted from. A chain is a tree,
 * never a loop (a piece cannot be its own ancestor) and never deeper than MAX_CHAIN_DEPTH
 * below its root, so walking one always ends and stays small.
 */
export const MAX_CHAIN_DEPTH = 10;

/** A piece cannot hang under itself or under one of its descendants. `parentAncestry`: the new parent, its parent, ... up to the root. */
export function assertNotOwnAncestor(pieceId: string, parentAncestry: readonly string[]): void {
  if (parentAncestry.includes(pieceId)) {
    throw problems.conflict('PIECE_CHAIN_CYCLE', 'a piece cannot be its own ancestor: the new parent is the piece itself or one of its descendants', {
      pieceId,
      parentId: parentAncestry[0],
    });
  }
}

/**
 * A piece (with `subtreeHeight` levels already under it, 0 for a leaf or a new piece) may
 * hang under a parent whose ancestry has `parentAncestryLength` pieces (1 for a root).
 */
export function assertChainDepth(parentAncestryLength: number, subtreeHeight: number): void {
  const deepest = parentAncestryLength + subtreeHeight;
  if (deepest > MAX_CHAIN_DEPTH) {
    throw problems.conflict('PIECE_CHAIN_TOO_DEEP', `a repurposing chain is at most ${MAX_CHAIN_DEPTH} levels below its root; this would make it ${deepest}`, { maxDepth: MAX_CHAIN_DEPTH, depth: deepest });
  }
}

export interface ChainEntry {
  id: string;
  parentId: string | null;
  /** Levels below the piece the chain was asked for (its children are 1). */
  depth: number;
}

export type ChainNode<T extends ChainEntry> = Omit<T, 'depth'> & {
  children: ChainNode<T>[];
  /** True when the node has children deeper than the depth asked for, not listed here. */
  truncated: boolean;
};

/**
 * The tree under `root` from its descendants (in the order they should be listed), down to
 * `maxDepth` levels. Entries one level deeper only mark their parents as truncated.
 */
export function buildTree<T extends ChainEntry>(root: T, descendants: readonly T[], maxDepth: number): ChainNode<T> {
  const node = (entry: T): ChainNode<T> => {
    const { depth: _depth, ...rest } = entry;
    return { ...rest, children: [], truncated: false } as ChainNode<T>;
  };
  const byId = new Map<string, ChainNode<T>>([[root.id, node(root)]]);
  for (const entry of descendants) {
    const parent = entry.parentId ? byId.get(entry.parentId) : undefined;
    if (!parent) continue;
    if (entry.depth > maxDepth) {
      parent.truncated = true;
      continue;
    }
    const child = node(entry);
    parent.children.push(child);
    byId.set(entry.id, child);
  }
  return byId.get(root.id)!;
}
