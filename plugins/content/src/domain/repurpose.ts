/**
 * Repurposing rules: how a piece becomes another type of piece for another platform. Pure
 * and deterministic (no generation): they cut, select and rearrange the source's own
 * sentences, so a child says nothing its parent did not.
 *
 * - thread: the title as the opening post, then the body's sentences packed in order into posts within the
 *   platform's length, each numbered "i/n"; past the platform's post limit the last post
 *   ends with "…".
 * - carousel: a title slide, then the lead sentence of each paragraph, one per slide.
 * - social_post: the title, an excerpt (the meta description, or the lead sentences that
 *   fit) and hashtags made from the keywords, as many as fit.
 * - email: the subject is the meta title (or the title), the preheader the meta description
 *   (or an excerpt), the body the source's text.
 * - video_script: a hook (the title) and the lead sentences that fit the platform's
 *   duration at 150 spoken words a minute.
 * - blog: the source's text as one article, with a meta title and description.
 */
import { problems } from '@markettina/sdk';
import type { PieceType } from '../contracts.js';
import type { GeneratedBy, PieceInput } from './pieces.js';
import { DEFAULT_POST_LENGTH, profileOf, type PlatformProfile } from './repurpose-platforms.js';
import { cutToFit, graphemeMeasure, hashtags, pack, paragraphSentences, summarize, type Measure } from './repurpose-text.js';
import { words } from './text-metrics.js';

export interface RepurposeSource {
  type: PieceType;
  title: string;
  body: string;
  parts: readonly string[];
  keywords: readonly string[];
  metaTitle: string | null;
  metaDescription: string | null;
  generatedBy: GeneratedBy;
}

export interface RepurposeTarget {
  type: PieceType;
  platform?: string | null;
  /** Overrides the platform's post length (graphemes). */
  maxLength?: number;
}

export type RepurposedPiece = PieceInput & { type: PieceType; title: string };

export const EMAIL_SUBJECT_LENGTH = 78;
export const META_TITLE_LENGTH = 60;
export const META_DESCRIPTION_LENGTH = 160;
export const PREHEADER_LENGTH = 140;
export const SLIDE_LENGTH = 200;
/** A social post's excerpt is a teaser, not the article, however long the platform allows. */
export const SOCIAL_EXCERPT_LENGTH = 300;
export const SPOKEN_WORDS_PER_MINUTE = 150;
const DEFAULT_VIDEO_SECONDS = 60;

const plainMeasure = graphemeMeasure();

const paragraphsOf = new WeakMap<RepurposeSource, string[][]>();

/**
 * The source's text as paragraphs of sentences (a thread's or carousel's parts are its
 * paragraphs), read once per source object however many targets it is repurposed into.
 */
function sourceParagraphs(s: RepurposeSource): string[][] {
  let paragraphs = paragraphsOf.get(s);
  if (!paragraphs) {
    paragraphs = s.parts.length > 0 ? s.parts.flatMap((p) => paragraphSentences(p)) : paragraphSentences(s.body);
    paragraphsOf.set(s, paragraphs);
  }
  return paragraphs;
}

/** An excerpt of the source within `limit`: its meta description if it fits, else lead sentences. */
function excerpt(s: RepurposeSource, limit: number, measure: Measure): string {
  if (s.metaDescription && measure(s.metaDescription) <= limit) return s.metaDescription;
  const paragraphs = sourceParagraphs(s);
  const chosen = summarize(paragraphs, limit, measure);
  if (chosen.length > 0) return chosen.join(' ');
  const first = s.metaDescription ?? paragraphs[0]?.[0];
  return first ? cutToFit(first, limit, measure) : '';
}

function postLimit(target: RepurposeTarget, profile: PlatformProfile | undefined, fallback?: number): number {
  const limit = target.maxLength ?? profile?.maxLength ?? fallback;
  if (limit === undefined || limit === null) {
    throw problems.invalid('REPURPOSE_LENGTH_REQUIRED', `a ${target.type} needs a length limit: name a known platform or give maxLength`, { type: target.type, platform: target.platform ?? null });
  }
  return limit;
}

function thread(s: RepurposeSource, target: RepurposeTarget, profile: PlatformProfile | undefined): RepurposedPiece {
  const maxPosts = profile?.threadMaxPosts ?? 25;
  if (maxPosts < 2) throw problems.invalid('REPURPOSE_NOT_SUPPORTED', `${target.platform} does not thread posts; repurpose as a social_post instead`, { type: target.type, platform: target.platform });
  const limit = postLimit(target, profile);
  const measure = graphemeMeasure(profile?.urlLength);
  const sentences = sourceParagraphs(s).flat();
  let posts: string[] = [];
  // The "i/n" counter takes room in every post, and n depends on how the posts pack: reserve the widest counter n can have.
  for (let digits = 1; digits <= 3; digits++) {
    const room = limit - measure(` ${'9'.repeat(digits)}/${'9'.repeat(digits)}`);
    const opening = pack([s.title], room, measure);
    posts = [...opening, ...pack(sentences, room, measure, maxPosts - opening.length)];
    if (String(Math.min(posts.length, maxPosts)).length <= digits) {
      if (posts.length > maxPosts) {
        posts = posts.slice(0, maxPosts);
        posts[maxPosts - 1] = cutToFit(`${posts[maxPosts - 1]} …`, room, measure);
      }
      break;
    }
  }
  const n = posts.length;
  const parts = n === 1 ? posts : posts.map((p, i) => `${p} ${i + 1}/${n}`);
  return { type: 'thread', title: s.title, parts };
}

function carousel(s: RepurposeSource, profile: PlatformProfile | undefined): RepurposedPiece {
  const max = profile?.carouselMaxSlides ?? 10;
  const leads = sourceParagraphs(s).map((p) => p[0]!);
  const slides = [s.title, ...leads].slice(0, max).map((text) => cutToFit(text, SLIDE_LENGTH, plainMeasure));
  return { type: 'carousel', title: s.title, parts: slides };
}

function socialPost(s: RepurposeSource, target: RepurposeTarget, profile: PlatformProfile | undefined): RepurposedPiece {
  if (target.platform && !profile && target.maxLength === undefined) {
    throw problems.invalid('REPURPOSE_LENGTH_REQUIRED', `"${target.platform}" is not a platform with a known length; give maxLength`, { type: target.type, platform: target.platform });
  }
  const limit = target.maxLength ?? profile?.maxLength ?? DEFAULT_POST_LENGTH;
  const measure = graphemeMeasure(profile?.urlLength);
  let text = cutToFit(s.title, limit, measure);
  const tags = hashtags(s.keywords, profile?.maxHashtags ?? 3);
  const room = limit - measure(`${text}\n\n`);
  // Room is kept for the hashtags unless that would leave the excerpt less than half of it.
  const withTags = room - (tags.length > 0 ? measure(`\n\n${tags.join(' ')}`) : 0);
  const budget = Math.min(withTags >= room / 2 ? withTags : room, SOCIAL_EXCERPT_LENGTH);
  const summary = budget > 0 ? excerpt(s, budget, measure) : '';
  if (summary) text = `${text}\n\n${summary}`;
  let tagLine = '';
  for (const tag of tags) {
    const next = tagLine ? `${tagLine} ${tag}` : tag;
    if (measure(`${text}\n\n${next}`) <= limit) tagLine = next;
  }
  return { type: 'social_post', title: s.title, body: tagLine ? `${text}\n\n${tagLine}` : text };
}

function email(s: RepurposeSource): RepurposedPiece {
  const subject = cutToFit(s.metaTitle ?? s.title, EMAIL_SUBJECT_LENGTH, plainMeasure);
  return {
    type: 'email',
    title: subject,
    body: s.parts.length > 0 ? s.parts.join('\n\n') : s.body,
    metaTitle: subject,
    metaDescription: excerpt(s, PREHEADER_LENGTH, plainMeasure) || null,
  };
}

function videoScript(s: RepurposeSource, profile: PlatformProfile | undefined): RepurposedPiece {
  const seconds = profile?.videoSeconds ?? DEFAULT_VIDEO_SECONDS;
  const budget = Math.floor((seconds / 60) * SPOKEN_WORDS_PER_MINUTE) - words(s.title).length;
  const lines = summarize(sourceParagraphs(s), budget, (sentence) => words(sentence).length, 0);
  const body = [`HOOK\n${s.title}`, ...(lines.length > 0 ? [`SCRIPT\n${lines.join('\n')}`] : [])].join('\n\n');
  return { type: 'video_script', title: s.title, body };
}

function blog(s: RepurposeSource): RepurposedPiece {
  return {
    type: 'blog',
    title: s.title,
    body: s.parts.length > 0 ? s.parts.join('\n\n') : s.body,
    metaTitle: cutToFit(s.metaTitle ?? s.title, META_TITLE_LENGTH, plainMeasure),
    metaDescription: excerpt(s, META_DESCRIPTION_LENGTH, plainMeasure) || null,
  };
}

/** The child `target` asks for, adapted from `source`; keywords and authorship carry over. */
export function repurpose(source: RepurposeSource, target: RepurposeTarget): RepurposedPiece {
  const profile = profileOf(target.platform);
  const adapted = (() => {
    switch (target.type) {
      case 'thread':
        return thread(source, target, profile);
      case 'carousel':
        return carousel(source, profile);
      case 'social_post':
        return socialPost(source, target, profile);
      case 'email':
        return email(source);
      case 'video_script':
        return videoScript(source, profile);
      case 'blog':
        return blog(source);
    }
  })();
  return { ...adapted, keywords: [...source.keywords], generatedBy: source.generatedBy, platform: target.platform ?? null };
}
