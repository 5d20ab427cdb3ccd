/**
 * The quality score: a weighted mean of six measures, each from 0 to 1.
 *
 * | measure            | weight | 1 when                                        | 0 when                      |
 * |--------------------|--------|-----------------------------------------------|-----------------------------|
 * | length             | 25     | the word count is in the type's range         | no words, or 2× the maximum |
 * | readability        | 25     | the readability score is 100                  | it is 0                     |
 * | sentenceStructure  | 10     | ≤ 25% long sentences and ≤ 10% passive ones   | 75% long and 50% passive    |
 * | lexicalDiversity   | 15     | moving-average type-token ratio ≥ 0.72        | ≤ 0.40                      |
 * | repetition         | 10     | no three-word sequence repeats                | 15% of them are repeats     |
 * | seo                | 15     | the SEO score is 100                          | it is 0                     |
 */
import type { PieceType } from '../contracts.js';
import type { ReadabilityMetrics } from './text-metrics.js';
import { band, type Check } from './text-metrics-seo.js';

export const QUALITY_WEIGHTS = { length: 25, readability: 25, sentenceStructure: 10, lexicalDiversity: 15, repetition: 10, seo: 15 } as const;

/** Word counts that suit each type, both ends included. */
export const LENGTH_TARGETS: Readonly<Record<PieceType, { min: number; max: number }>> = {
  blog: { min: 600, max: 2500 },
  social_post: { min: 15, max: 60 },
  thread: { min: 60, max: 600 },
  carousel: { min: 40, max: 300 },
  video_script: { min: 75, max: 450 },
  email: { min: 75, max: 500 },
};

/** The window of the moving-average type-token ratio (Covington and McFall, 2010). */
export const DIVERSITY_WINDOW = 50;

/**
 * Distinct words per word, averaged over every window of 50 words so that long texts are
 * not punished for being long (a plain type-token ratio falls as a text grows). Texts shorter
 * than a window get the plain ratio.
 */
export function lexicalDiversity(tokens: readonly string[]): number {
  const ws = tokens.map((w) => w.toLocaleLowerCase('en'));
  if (ws.length === 0) return 0;
  if (ws.length <= DIVERSITY_WINDOW) return new Set(ws).size / ws.length;
  const counts = new Map<string, number>();
  const add = (w: string, d: number) => {
    const n = (counts.get(w) ?? 0) + d;
    if (n === 0) counts.delete(w);
    else counts.set(w, n);
  };
  for (const w of ws.slice(0, DIVERSITY_WINDOW)) add(w, 1);
  let sum = counts.size;
  for (let i = DIVERSITY_WINDOW; i < ws.length; i++) {
    add(ws[i]!, 1);
    add(ws[i - DIVERSITY_WINDOW]!, -1);
    sum += counts.size;
  }
  return sum / (ws.length - DIVERSITY_WINDOW + 1) / DIVERSITY_WINDOW;
}

/** The share of three-word sequences that already occurred earlier in the text. */
export function repetitionRatio(tokens: readonly string[]): number {
  const ws = tokens.map((w) => w.toLocaleLowerCase('en'));
  if (ws.length < 3) return 0;
  const seen = new Set<string>();
  let repeated = 0;
  for (let i = 0; i + 3 <= ws.length; i++) {
    const key = `${ws[i]} ${ws[i + 1]} ${ws[i + 2]}`;
    if (seen.has(key)) repeated++;
    else seen.add(key);
  }
  return repeated / (ws.length - 2);
}

export interface QualityInputs {
  type: PieceType;
  /** Words of the whole text, headings included. */
  wordCount: number;
  readability: ReadabilityMetrics;
  readabilityScore: number;
  lexicalDiversity: number;
  repetitionRatio: number;
  seoScore: number;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function qualityChecks(q: QualityInputs): Check[] {
  const target = LENGTH_TARGETS[q.type];
  const length = band(q.wordCount, target.min, target.max, target.min, target.max);
  // No words, no quality: measures of absence (no long sentences, no repeats) earn nothing.
  const some = q.wordCount > 0 ? 1 : 0;
  const long = band(q.readability.longSentenceRatio, 0, 0.25, 0.5);
  const passive = band(q.readability.passiveRatio, 0, 0.1, 0.4);
  const structure = (some * (long + passive)) / 2;
  const diversity = Math.min(1, Math.max(0, (q.lexicalDiversity - 0.4) / (0.72 - 0.4)));
  const repetition = some * Math.max(0, 1 - q.repetitionRatio / 0.15);
  return [
    { id: 'length', weight: QUALITY_WEIGHTS.length, score: length, detail: `${q.wordCount} words; ${target.min}-${target.max} suit a ${q.type}` },
    { id: 'readability', weight: QUALITY_WEIGHTS.readability, score: q.readabilityScore / 100, detail: `readability score ${q.readabilityScore}` },
    {
      id: 'sentenceStructure',
      weight: QUALITY_WEIGHTS.sentenceStructure,
      score: structure,
      detail: `${pct(q.readability.longSentenceRatio)} of sentences are long (keep ≤ 25%), ${pct(q.readability.passiveRatio)} look passive (keep ≤ 10%)`,
    },
    { id: 'lexicalDiversity', weight: QUALITY_WEIGHTS.lexicalDiversity, score: diversity, detail: `type-token ratio ${q.lexicalDiversity.toFixed(2)}; 0.72 or more reads varied` },
    { id: 'repetition', weight: QUALITY_WEIGHTS.repetition, score: repetition, detail: `${pct(q.repetitionRatio)} of three-word phrases repeat` },
    { id: 'seo', weight: QUALITY_WEIGHTS.seo, score: q.seoScore / 100, detail: `SEO score ${q.seoScore}` },
  ];
}
