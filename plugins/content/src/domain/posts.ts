/**
 * What a post says: the content every version holds. A post's text, title, media, thread,
 * first comment and article fields are its base; variants override some of them for one
 * platform (keyed by connector id, e.g. `mastodon`).
 */
import { ProblemError, problems, type ArticleFormat } from '@markettina/sdk';

/** A media asset of this tenant, by id; resolved to its stored file when scheduled. */
export interface MediaRef {
  assetId: string;
  altText?: string;
}

export interface ThreadPart {
  text: string;
  media: MediaRef[];
}

/** Blog-post fields besides the body; the post's title is the article's headline. */
export interface ArticleFields {
  excerpt?: string;
  format?: ArticleFormat;
  tags?: string[];
  categories?: string[];
  status?: 'publish' | 'draft';
}

export interface PostContent {
  title: string;
  text: string;
  media: MediaRef[];
  thread: ThreadPart[];
  firstComment: string | null;
  article: ArticleFields | null;
}

/**
 * One platform's overrides. A field left out keeps the base; `null` removes the first
 * comment or the article on that platform; `article` merges field by field into the base's.
 */
export interface VariantOverride {
  title?: string;
  text?: string;
  media?: MediaRef[];
  thread?: ThreadPart[];
  firstComment?: string | null;
  article?: ArticleFields | null;
}

export type Variants = Record<string, VariantOverride>;

/** Everything one version holds. */
export interface VersionContent extends PostContent {
  variants: Variants;
}

export const CONTENT_FIELDS = ['title', 'text', 'media', 'thread', 'firstComment', 'article', 'variants'] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

export type ContentPatch = Partial<VersionContent>;

const mediaOf = (media: readonly MediaRef[] | undefined): MediaRef[] => (media ?? []).map((m) => (m.altText === undefined ? { assetId: m.assetId } : { assetId: m.assetId, altText: m.altText }));
const threadOf = (thread: readonly { text: string; media?: MediaRef[] }[]): ThreadPart[] => thread.map((p) => ({ text: p.text, media: mediaOf(p.media) }));

function articleOf(a: ArticleFields): ArticleFields {
  const out: ArticleFields = {};
  if (a.excerpt !== undefined) out.excerpt = a.excerpt;
  if (a.format !== undefined) out.format = a.format;
  if (a.tags !== undefined) out.tags = [...a.tags];
  if (a.categories !== undefined) out.categories = [...a.categories];
  if (a.status !== undefined) out.status = a.status;
  return out;
}

function variantOf(v: VariantOverride): VariantOverride {
  const out: VariantOverride = {};
  if (v.title !== undefined) out.title = v.title;
  if (v.text !== undefined) out.text = v.text;
  if (v.media !== undefined) out.media = mediaOf(v.media);
  if (v.thread !== undefined) out.thread = threadOf(v.thread);
  if (v.firstComment !== undefined) out.firstComment = v.firstComment;
  if (v.article !== undefined) out.article = v.article === null ? null : articleOf(v.article);
  return out;
}

/**
 * The same content in one canonical shape (fixed key order, no undefined members), so two
 * versions that say the same thing are byte-equal and a diff sees only real changes.
 */
export function normalizeContent(c: Partial<VersionContent> & { text: string }): VersionContent {
  const variants: Variants = {};
  for (const key of Object.keys(c.variants ?? {}).sort()) variants[key] = variantOf(c.variants![key]!);
  return {
    title: c.title ?? '',
    text: c.text,
    media: mediaOf(c.media),
    thread: threadOf(c.thread ?? []),
    firstComment: c.firstComment ?? null,
    article: c.article ? articleOf(c.article) : null,
    variants,
  };
}

/** The content after `patch`: fields present replace the current ones. */
export function applyContentPatch(current: VersionContent, patch: ContentPatch): VersionContent {
  const next: Partial<VersionContent> & { text: string } = { ...current };
  for (const field of CONTENT_FIELDS) {
    if (patch[field] !== undefined) (next as Record<string, unknown>)[field] = patch[field];
  }
  return normalizeContent(next);
}

export const sameContent = (a: VersionContent, b: VersionContent): boolean => JSON.stringify(normalizeContent(a)) === JSON.stringify(normalizeContent(b));

/** Every asset id the content refers to, base and variants, once each. */
export function mediaAssetIds(c: VersionContent): string[] {
  const ids = new Set<string>();
  const add = (media: readonly MediaRef[] | undefined) => media?.forEach((m) => ids.add(m.assetId));
  const addAll = (p: Partial<PostContent>) => {
    add(p.media);
    p.thread?.forEach((t) => add(t.media));
  };
  addAll(c);
  Object.values(c.variants).forEach(addAll);
  return [...ids];
}

/** Every piece of text a reader sees, base and variants: where hashtags and mentions come from. */
export function textsOf(c: VersionContent): string[] {
  const out: string[] = [];
  const addAll = (p: Partial<PostContent>) => {
    if (p.text) out.push(p.text);
    p.thread?.forEach((t) => out.push(t.text));
    if (p.firstComment) out.push(p.firstComment);
  };
  addAll(c);
  for (const key of Object.keys(c.variants)) addAll(c.variants[key]!);
  return out;
}

/** More variants than platforms anyone publishes to is a mistake, not a plan. */
export const MAX_VARIANTS = 20;

export function assertVariantCount(c: VersionContent): void {
  const count = Object.keys(c.variants).length;
  if (count > MAX_VARIANTS) throw problems.invalid('VARIANTS_TOO_MANY', `a post has at most ${MAX_VARIANTS} variants, not ${count}`, { limit: MAX_VARIANTS, actual: count });
}

/** Top-level fields that differ between two versions' content. */
export const changedFields = (before: VersionContent | undefined, after: VersionContent): ContentField[] =>
  CONTENT_FIELDS.filter((f) => before === undefined || JSON.stringify(before[f]) !== JSON.stringify(after[f]));

/**
 * Optimistic concurrency: a client that read version N and edits "version N" must not
 * overwrite a version N+1 someone saved meanwhile. 412, as for a failed If-Match.
 */
export function assertExpectedVersion(current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new ProblemError({
      status: 412,
      code: 'POST_VERSION_MISMATCH',
      title: 'Precondition failed',
      detail: `the post is at version ${current}, not ${expected}; read it again and reapply the change`,
      extensions: { currentVersion: current, expectedVersion: expected },
    });
  }
}
