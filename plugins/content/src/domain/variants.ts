import type { PublicationDraft, PublicationMedia, PublicationPart } from '@markettina/plugin-social/contracts';
import type { ArticleFields, MediaRef, PostContent, VersionContent } from './posts.js';

/** A platform key is a connector id: kebab-case, as plugin ids are. */
export const PLATFORM_KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The draft for one platform: the base with that platform's variant laid over it. */
export function effectiveContent(version: VersionContent, platform: string): PostContent {
  const base: PostContent = { title: version.title, text: version.text, media: version.media, thread: version.thread, firstComment: version.firstComment, article: version.article };
  const v = Object.hasOwn(version.variants, platform) ? version.variants[platform] : undefined;
  if (!v) return base;
  return {
    title: v.title ?? base.title,
    text: v.text ?? base.text,
    media: v.media ?? base.media,
    thread: v.thread ?? base.thread,
    firstComment: v.firstComment !== undefined ? v.firstComment : base.firstComment,
    article: v.article === undefined ? base.article : v.article === null ? null : { ...(base.article ?? {}), ...v.article },
  };
}

/** Resolved media of the tenant by asset id; what the publisher needs to fetch each file. */
export type ResolvedMedia = ReadonlyMap<string, Omit<PublicationMedia, 'altText'> & { altText?: string }>;

function mediaOf(refs: readonly MediaRef[], resolved: ResolvedMedia): PublicationMedia[] {
  return refs.map((ref) => {
    const asset = resolved.get(ref.assetId);
    if (!asset) throw new RangeError(`media asset ${ref.assetId} was not resolved`);
    const altText = ref.altText ?? asset.altText;
    return { ...asset, ...(altText !== undefined ? { altText } : {}) };
  });
}

function partOf(text: string, media: readonly MediaRef[], resolved: ResolvedMedia): PublicationPart {
  return media.length ? { text, media: mediaOf(media, resolved) } : { text };
}

/**
 * What the social publisher gets for one account: the effective content, with media by
 * blob key and the post's title as the article's headline. Empty parts are left out, so a
 * platform without threads or first comments is not offered any.
 */
export function publicationDraft(content: PostContent, resolved: ResolvedMedia): PublicationDraft {
  const draft: PublicationDraft = partOf(content.text, content.media, resolved);
  if (content.thread.length) draft.thread = content.thread.map((p) => partOf(p.text, p.media, resolved));
  if (content.firstComment) draft.firstComment = content.firstComment;
  if (content.article) draft.article = articleOf(content.title, content.article);
  return draft;
}

function articleOf(title: string, a: ArticleFields): NonNullable<PublicationDraft['article']> {
  return { ...(title ? { title } : {}), ...a };
}
