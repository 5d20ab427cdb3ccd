import { countLinks, parseBlocks } from './text-metrics-markdown.js';
import { blockSentences, readabilityOf, readabilityScore, words, type ReadabilityMetrics, type Sentence } from './text-metrics.js';
import { lexicalDiversity, qualityChecks, repetitionRatio } from './text-metrics-quality.js';
import { charLength, seoReport, weightedScore, type Check, type ContentText } from './text-metrics-seo.js';

export type { ContentText };

/** A check as reported: its score and how many points of the total it cost. */
export interface ScoredCheck {
  id: string;
  weight: number;
  /** 0-100. */
  score: number;
  /** Points of the 0-100 total this check took away; the checks' losses add up to 100 − total. */
  lost: number;
  detail: string;
}

export interface ContentMetrics extends ReadabilityMetrics {
  characters: number;
  paragraphs: number;
  headings: number;
  links: number;
  lexicalDiversity: number;
  repetitionRatio: number;
  /** Percent of words that are the focus keyword; null without keywords. */
  keywordDensity: number | null;
}

export interface ContentAnalysis {
  scores: { quality: number; readability: number; seo: number };
  metrics: ContentMetrics;
  /** Per score, the checks behind it, biggest loss first. */
  breakdown: { quality: ScoredCheck[]; readability: ScoredCheck[]; seo: ScoredCheck[] };
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function scored(checks: readonly Check[]): ScoredCheck[] {
  const total = checks.reduce((sum, c) => sum + c.weight, 0) || 1;
  return checks
    .map((c) => ({ id: c.id, weight: c.weight, score: Math.round(c.score * 100), lost: round(((c.weight / total) * (1 - c.score)) * 100), detail: c.detail }))
    .sort((a, b) => b.lost - a.lost);
}

/** Every score of a text with what went into it. Pure and deterministic. */
export function analyzeContent(c: ContentText): ContentAnalysis {
  const blocks = parseBlocks(c.body);
  // Every block is segmented once: prose into sentences and words, headings into words.
  const sentences: Sentence[] = [];
  const tokens: string[] = [];
  for (const block of blocks) {
    if (block.kind === 'code') continue;
    if (block.kind === 'heading') tokens.push(...words(block.text));
    else for (const sentence of blockSentences(block)) {
      sentences.push(sentence);
      tokens.push(...sentence.words);
    }
  }
  const r = readabilityOf(sentences);
  const readabilityPoints = readabilityScore(r);
  const { checks: seo, keywordDensity } = seoReport(c, blocks, tokens);
  const seoPoints = weightedScore(seo);
  const diversity = lexicalDiversity(tokens);
  const repetition = repetitionRatio(tokens);
  const quality = qualityChecks({ type: c.type, wordCount: tokens.length, readability: r, readabilityScore: readabilityPoints, lexicalDiversity: diversity, repetitionRatio: repetition, seoScore: seoPoints });
  const fre: Check = {
    id: 'fleschReadingEase',
    weight: 100,
    score: readabilityPoints / 100,
    detail:
      r.fleschReadingEase === null
        ? 'no prose to measure'
        : `Flesch reading ease ${r.fleschReadingEase} (grade ${r.fleschKincaidGrade}): ${r.averageSentenceLength} words per sentence, ${r.averageSyllablesPerWord} syllables per word`,
  };
  return {
    scores: { quality: weightedScore(quality), readability: readabilityPoints, seo: seoPoints },
    metrics: {
      characters: charLength(c.body),
      words: tokens.length,
      sentences: r.sentences,
      paragraphs: blocks.filter((b) => b.kind === 'paragraph').length,
      headings: blocks.filter((b) => b.kind === 'heading').length,
      links: countLinks(c.body),
      syllables: r.syllables,
      fleschReadingEase: r.fleschReadingEase,
      fleschKincaidGrade: r.fleschKincaidGrade,
      averageSentenceLength: r.averageSentenceLength,
      averageSyllablesPerWord: r.averageSyllablesPerWord,
      passiveRatio: r.passiveRatio,
      longSentenceRatio: r.longSentenceRatio,
      lexicalDiversity: round(diversity, 3),
      repetitionRatio: round(repetition, 3),
      keywordDensity: keywordDensity === null ? null : round(keywordDensity, 2),
    },
    breakdown: { quality: scored(quality), readability: scored([fre]), seo: scored(seo) },
  };
}
