/**
 * What changed between two versions of a post: a word or line diff of every text field
 * (base and variants) and before/after values of the other fields (media, article labels).
 */
import type { VersionContent } from './posts.js';

export type DiffGranularity = 'word' | 'line';

export interface DiffOp {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface TextDiff {
  ops: DiffOp[];
  /**
   * True when the texts differ too much for an exact diff within the edit budget: the
   * differing middle is then shown as one deletion and one insertion.
   */
  approximate: boolean;
}

export type FieldChange =
  | { path: string; kind: 'text'; change: 'added' | 'removed' | 'changed'; before: string | null; after: string | null; diff: TextDiff }
  | { path: string; kind: 'value'; change: 'added' | 'removed' | 'changed'; before: unknown; after: unknown };

/** Beyond this many edits an exact diff costs too much time and memory for a request. */
export const MAX_EDITS = 1000;

const WORDS = /\s+|[\p{L}\p{M}\p{N}_]+|[^\s\p{L}\p{M}\p{N}_]/gu;
const LINES = /[^\n]*\n|[^\n]+/g;

/** Words, runs of white space and single punctuation marks; or whole lines with their newline. */
export const tokenize = (text: string, granularity: DiffGranularity): string[] => text.match(granularity === 'word' ? WORDS : LINES) ?? [];

/**
 * Myers' O(ND) shortest edit script between two token lists; undefined when it needs more
 * than `maxEdits` insertions and deletions. Each step keeps only the diagonals it reached,
 * so memory grows with the square of the edits, not with the texts.
 */
function shortestEdit(a: readonly string[], b: readonly string[], maxEdits: number): DiffOp[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(maxEdits, n + m);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(off - d, off + d + 1));
        return backtrack(a, b, trace);
      }
    }
    trace.push(v.slice(off - d, off + d + 1));
  }
  return undefined;
}

/** Walks the saved frontiers back from the end, emitting the edit script in reverse. */
function backtrack(a: readonly string[], b: readonly string[], trace: Int32Array[]): DiffOp[] {
  const out: DiffOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1]!;
    const at = (k: number) => prev[k + d - 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    for (; x > prevX && y > prevY; x--, y--) out.push({ op: 'equal', text: a[x - 1]! });
    if (x === prevX) out.push({ op: 'insert', text: b[--y]! });
    else out.push({ op: 'delete', text: a[--x]! });
  }
  for (; x > 0 && y > 0; x--, y--) out.push({ op: 'equal', text: a[x - 1]! });
  return out.reverse();
}

/** Adjacent operations of the same kind as one run. */
function merge(ops: DiffOp[]): DiffOp[] {
  const out: DiffOp[] = [];
  for (const op of ops) {
    const last = out.at(-1);
    if (last && last.op === op.op) last.text += op.text;
    else if (op.text) out.push({ ...op });
  }
  return out;
}

/** The diff of two texts, as runs of kept, inserted and deleted text. */
export function diffText(before: string, after: string, granularity: DiffGranularity = 'word', maxEdits = MAX_EDITS): TextDiff {
  const a = tokenize(before, granularity);
  const b = tokenize(after, granularity);
  // Common ends cost nothing to find and often make up most of an edited text.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const midA = a.slice(start, a.length - end);
  const midB = b.slice(start, b.length - end);
  const exact = shortestEdit(midA, midB, maxEdits);
  const middle = exact ?? [
    { op: 'delete' as const, text: midA.join('') },
    { op: 'insert' as const, text: midB.join('') },
  ];
  const ops = merge([{ op: 'equal', text: a.slice(0, start).join('') }, ...middle, { op: 'equal', text: a.slice(a.length - end).join('') }]);
  return { ops, approximate: exact === undefined };
}

type Leaf = { kind: 'text'; value: string } | { kind: 'value'; value: unknown };

// Free text a person writes; everything else (media, formats, labels) is compared as a value.
const TEXT_KEYS = new Set(['title', 'text', 'firstComment', 'excerpt']);

/** Flattens content into paths (`text`, `thread[1].media`, `variants.mastodon.text`) in a stable order. */
function flatten(value: unknown, path: string, key: string, out: Map<string, Leaf>): void {
  if (Array.isArray(value) && key === 'thread') {
    value.forEach((part, i) => flatten(part, `${path}[${i}]`, '', out));
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, k, out);
  } else if (typeof value === 'string' && TEXT_KEYS.has(key)) {
    out.set(path, { kind: 'text', value });
  } else if (value === null && !path.startsWith('variants.')) {
    // No first comment or article in the base is nothing to show; in a variant, null says "remove it here".
  } else if (value !== undefined) {
    out.set(path, { kind: 'value', value });
  }
}

const leaves = (c: VersionContent) => {
  const out = new Map<string, Leaf>();
  flatten(c, '', '', out);
  return out;
};

// The order fields are shown in: as a post reads, then its article, then its variants.
const FIELD_ORDER = ['title', 'text', 'media', 'altText', 'thread', 'firstComment', 'article', 'excerpt', 'format', 'tags', 'categories', 'status', 'variants'];

const segments = (path: string): (string | number)[] => path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

function comparePaths(x: string, y: string): number {
  const [a, b] = [segments(x), segments(y)];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [p, q] = [a[i]!, b[i]!];
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    const [rp, rq] = [FIELD_ORDER.indexOf(String(p)), FIELD_ORDER.indexOf(String(q))];
    if (rp >= 0 && rq >= 0) return rp - rq;
    return String(p) < String(q) ? -1 : 1; // platform names
  }
  return a.length - b.length;
}

/** Every field that differs between two versions, in reading order (base fields, article, variants by platform). */
export function diffVersions(before: VersionContent, after: VersionContent, granularity: DiffGranularity = 'word'): FieldChange[] {
  const a = leaves(before);
  const b = leaves(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort(comparePaths);
  const changes: FieldChange[] = [];
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    const change = x === undefined ? 'added' : y === undefined ? 'removed' : 'changed';
    if (x?.kind !== 'value' && y?.kind !== 'value') {
      const from = x ? x.value : null;
      const to = y ? y.value : null;
      if (from !== to) changes.push({ path, kind: 'text', change, before: from, after: to, diff: diffText(from ?? '', to ?? '', granularity) });
    } else if (x === undefined || y === undefined || JSON.stringify(x.value) !== JSON.stringify(y.value)) {
      changes.push({ path, kind: 'value', change, before: x === undefined ? null : x.value, after: y === undefined ? null : y.value });
    }
  }
  return changes;
}
