/**
 * SEO checks on a piece of content. The focus keyword is the first keyword; the others are
 * for tagging only. Which checks apply depends on the type: meta data, headings and links
 * matter for a blog, not for a tweet; density is judged only on texts long enough for one
 * occurrence not to be a percentage swing.
 */
import type { PieceType } from '../contracts.js';
import { blocksText, countLinks, parseBlocks, type Block } from './text-metrics-markdown.js';
import { proseBlocks, words } from './text-metrics.js';
import { countGraphemes } from './text-metrics-segment.js';

export interface ContentText {
  type: PieceType;
  title: string;
  body: string;
  keywords: readonly string[];
  metaTitle: string | null;
  metaDescription: string | null;
}

/** One check's result: `score` from 0 (failed) to 1 (passed), `weight` its share of the total. */
export interface Check {
  id: string;
  weight: number;
  score: number;
  detail: string;
}

export type SeoCheckId = 'keywordInTitle' | 'keywordInMetaTitle' | 'keywordInFirstParagraph' | 'keywordDensity' | 'metaTitleLength' | 'metaDescriptionLength' | 'headings' | 'links';

export const SEO_WEIGHTS: Readonly<Record<SeoCheckId, number>> = {
  keywordInTitle: 15,
  keywordInMetaTitle: 10,
  keywordInFirstParagraph: 10,
  keywordDensity: 15,
  metaTitleLength: 15,
  metaDescriptionLength: 15,
  headings: 10,
  links: 10,
};

const SOCIAL: SeoCheckId[] = ['keywordInFirstParagraph', 'keywordDensity'];

export const SEO_CHECKS: Readonly<Record<PieceType, readonly SeoCheckId[]>> = {
  blog: ['keywordInTitle', 'keywordInMetaTitle', 'keywordInFirstParagraph', 'keywordDensity', 'metaTitleLength', 'metaDescriptionLength', 'headings', 'links'],
  email: ['keywordInTitle', 'keywordInFirstParagraph', 'keywordDensity'],
  video_script: ['keywordInTitle', 'keywordInFirstParagraph', 'keywordDensity'],
  social_post: SOCIAL,
  thread: SOCIAL,
  carousel: SOCIAL,
};

/** A healthy keyword density, in percent of words: present, not stuffed. */
export const DENSITY_BAND = { min: 0.5, max: 2.5 } as const;
/** Below this many words density is not judged. */
export const DENSITY_MIN_WORDS = 150;
export const META_TITLE_LENGTH = { min: 30, max: 60 } as const;
export const META_DESCRIPTION_LENGTH = { min: 70, max: 160 } as const;

/** Length in user-perceived characters. */
export const charLength = (text: string): number => countGraphemes(text);

/** Words compared case- and width-insensitively. */
export const normalizeWord = (word: string): string => word.normalize('NFKC').toLocaleLowerCase('en');
const normalized = (text: string) => words(text).map(normalizeWord);

/** How many times the word sequence `phrase` occurs in `text` (case-insensitive, whole words). */
export function occurrences(text: string | string[], phrase: string): number {
  const haystack = typeof text === 'string' ? normalized(text) : text;
  const needle = normalized(phrase);
  if (needle.length === 0) return 0;
  let n = 0;
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((w, k) => haystack[i + k] === w)) n++;
  }
  return n;
}

/** Occurrences of the phrase per 100 words of the text (or of its words, already normalized). */
export function keywordDensity(text: string | string[], phrase: string): number {
  const all = typeof text === 'string' ? normalized(text) : text;
  return all.length === 0 ? 0 : (occurrences(all, phrase) / all.length) * 100;
}

/** 1 inside [min, max], falling linearly to 0 at `below` under it and at `above` over it. */
export const band = (value: number, min: number, max: number, below: number, above = below): number =>
  value < min ? Math.max(0, 1 - (min - value) / below) : value > max ? Math.max(0, 1 - (value - max) / above) : 1;

function lengthCheck(id: SeoCheckId, label: string, text: string | null, range: { min: number; max: number }): Check {
  const weight = SEO_WEIGHTS[id];
  if (!text) return { id, weight, score: 0, detail: `no ${label}; write one of ${range.min}-${range.max} characters` };
  const n = charLength(text);
  const score = band(n, range.min, range.max, range.min);
  return { id, weight, score, detail: score === 1 ? `${label} is ${n} characters` : `${label} is ${n} characters; ${range.min}-${range.max} is best` };
}

export interface SeoReport {
  checks: Check[];
  /** Percent of the words that are the focus keyword; null without keywords. */
  keywordDensity: number | null;
}

/**
 * The SEO checks that apply to the piece's type, each scored 0 to 1, and the focus keyword's
 * density. `blocks` and `tokens` (the words of the text, code left out) save parsing again.
 */
export function seoReport(c: ContentText, blocks: readonly Block[] = parseBlocks(c.body), tokens: readonly string[] = words(blocksText(blocks))): SeoReport {
  const focus = c.keywords[0]?.trim();
  const firstParagraph = proseBlocks(blocks)[0]?.text ?? '';
  const plain = tokens.map(normalizeWord);
  const wordCount = plain.length;
  const density = focus ? keywordDensity(plain, focus) : null;
  const present = (id: SeoCheckId, where: string, text: string | null): Check => {
    const weight = SEO_WEIGHTS[id];
    if (!focus) return { id, weight, score: 0, detail: 'no keywords; the first keyword is the focus keyword' };
    const found = text ? occurrences(text, focus) > 0 : false;
    return { id, weight, score: found ? 1 : 0, detail: found ? `"${focus}" is in the ${where}` : `"${focus}" is not in the ${where}` };
  };
  const all: Record<SeoCheckId, () => Check | undefined> = {
    keywordInTitle: () => present('keywordInTitle', 'title', c.title),
    keywordInMetaTitle: () => present('keywordInMetaTitle', 'meta title', c.metaTitle),
    keywordInFirstParagraph: () => present('keywordInFirstParagraph', 'first paragraph', firstParagraph),
    keywordDensity: () => {
      if (wordCount < DENSITY_MIN_WORDS) return undefined;
      const weight = SEO_WEIGHTS.keywordDensity;
      if (!focus) return { id: 'keywordDensity', weight, score: 0, detail: 'no keywords; the first keyword is the focus keyword' };
      const score = band(density!, DENSITY_BAND.min, DENSITY_BAND.max, DENSITY_BAND.min, DENSITY_BAND.max);
      return { id: 'keywordDensity', weight, score, detail: `"${focus}" is ${density!.toFixed(2)}% of the words; ${DENSITY_BAND.min}-${DENSITY_BAND.max}% is healthy` };
    },
    metaTitleLength: () => lengthCheck('metaTitleLength', 'meta title', c.metaTitle, META_TITLE_LENGTH),
    metaDescriptionLength: () => lengthCheck('metaDescriptionLength', 'meta description', c.metaDescription, META_DESCRIPTION_LENGTH),
    headings: () => {
      const n = blocks.filter((b) => b.kind === 'heading').length;
      return { id: 'headings', weight: SEO_WEIGHTS.headings, score: n > 0 ? 1 : 0, detail: n > 0 ? `${n} heading(s)` : 'no headings; structure the text with Markdown "#" headings' };
    },
    links: () => {
      const n = countLinks(c.body);
      return { id: 'links', weight: SEO_WEIGHTS.links, score: n > 0 ? 1 : 0, detail: n > 0 ? `${n} link(s)` : 'no links; link to related pages or sources' };
    },
  };
  return { checks: SEO_CHECKS[c.type].map((id) => all[id]()).filter((check): check is Check => check !== undefined), keywordDensity: density };
}

/** The SEO checks alone. */
export const seoChecks = (c: ContentText): Check[] => seoReport(c).checks;

/** A weighted mean of checks on a 0-100 scale (100 when no check applies). */
export function weightedScore(checks: readonly Check[]): number {
  const total = checks.reduce((sum, c) => sum + c.weight, 0);
  return total === 0 ? 100 : Math.round((100 * checks.reduce((sum, c) => sum + c.weight * c.score, 0)) / total);
}
