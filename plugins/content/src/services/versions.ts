import type { Knex } from 'knex';
import { decodeCursor, encodeCursor, problems, type Page, type PageRequest } from '@markettina/sdk';
import type { Entities } from '../domain/entities.js';
import type { VersionContent } from '../domain/posts.js';
import { diffVersions, type DiffGranularity, type FieldChange } from '../domain/versions-diff.js';
import { getPost } from './posts-store.js';

export interface VersionSummary {
  version: number;
  title: string;
  restoredFrom: number | null;
  authorId: string | null;
  createdAt: string;
}

export interface VersionView extends VersionContent, VersionSummary {
  postId: string;
  hashtags: string[];
  mentions: string[];
}

export interface VersionDiff {
  postId: string;
  from: number;
  to: number;
  granularity: DiffGranularity;
  changes: FieldChange[];
}

interface VersionRow {
  post_id: string;
  version: number;
  content: VersionContent;
  hashtags: string[];
  mentions: string[];
  restored_from: number | null;
  author_id: string | null;
  created_at: Date;
}

const summary = (r: Pick<VersionRow, 'version' | 'content' | 'restored_from' | 'author_id' | 'created_at'>): VersionSummary => ({
  version: r.version,
  title: r.content.title,
  restoredFrom: r.restored_from,
  authorId: r.author_id,
  createdAt: r.created_at.toISOString(),
});

const versionView = (r: VersionRow): VersionView => ({
  postId: r.post_id,
  ...summary(r),
  ...r.content,
  hashtags: r.hashtags,
  mentions: r.mentions,
});

const versionNotFound = () => problems.notFound('version');

export interface NewVersion {
  accountId: string;
  postId: string;
  version: number;
  content: VersionContent;
  entities: Entities;
  restoredFrom: number | null;
  authorId: string | null;
}

/** Versions are written once (a trigger refuses updates); this is the only writer. */
export async function insertVersion(db: Knex.Transaction, v: NewVersion): Promise<void> {
  await db('content_post_versions').insert({
    account_id: v.accountId,
    post_id: v.postId,
    version: v.version,
    content: JSON.stringify(v.content),
    hashtags: v.entities.hashtags,
    mentions: v.entities.mentions,
    restored_from: v.restoredFrom,
    author_id: v.authorId,
  });
}

/** One version of a post; 404 for a post or version that does not exist. */
export async function getVersion(db: Knex.Transaction, postId: string, version: number): Promise<VersionView> {
  await getPost(db, postId);
  const row = (await db('content_post_versions').where({ post_id: postId, version }).first()) as VersionRow | undefined;
  if (!row) throw versionNotFound();
  return versionView(row);
}

/** A post's versions, newest first; the cursor is the last version number shown. */
export async function listVersions(db: Knex.Transaction, postId: string, page: PageRequest): Promise<Page<VersionSummary>> {
  await getPost(db, postId);
  let q = db('content_post_versions')
    .where({ post_id: postId })
    .select('version', db.raw(`content - 'text' - 'thread' - 'variants' as content`), 'restored_from', 'author_id', 'created_at')
    .orderBy('version', 'desc')
    .limit(page.limit + 1);
  if (page.cursor) {
    const [before] = decodeCursor(page.cursor, 1) ?? [];
    if (!Number.isSafeInteger(before) || (before as number) < 1) throw problems.badRequest('INVALID_CURSOR', 'cursor is not one this API issued');
    q = q.where('version', '<', before as number);
  }
  const rows = (await q) as VersionRow[];
  const shown = rows.slice(0, page.limit);
  return { items: shown.map(summary), nextCursor: rows.length > page.limit ? encodeCursor([shown.at(-1)!.version]) : null };
}

/** What changed from version `from` to version `to` (either order; a version against itself is empty). */
export async function diffPostVersions(db: Knex.Transaction, postId: string, from: number, to: number, granularity: DiffGranularity): Promise<VersionDiff> {
  const [a, b] = [await getVersion(db, postId, from), await getVersion(db, postId, to)];
  return { postId, from, to, granularity, changes: diffVersions(contentOf(a), contentOf(b), granularity) };
}

export const contentOf = (v: VersionContent): VersionContent => ({
  title: v.title,
  text: v.text,
  media: v.media,
  thread: v.thread,
  firstComment: v.firstComment,
  article: v.article,
  variants: v.variants,
});
