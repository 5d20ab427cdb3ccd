/**
 * Counting and readability, as pure functions.
 *
 * Words are Unicode-aware: ICU word boundaries (Intl.Segmenter), so "naïve", "don't", "3.14"
 * and "日本語" are one word each; a hyphen splits ("e-mail" is two). Sentences end at terminal
 * punctuation followed by anything but a lower-case letter (ideographic full stops included),
 * rejoined after common English abbreviations ("Mr.", "Dr."); each list item stands alone,
 * and headings and code are not counted as prose.
 *
 * Syllables are an English heuristic (vowel groups with corrections for silent endings and
 * vowel pairs that are two syllables, plus a few exceptions). It is right for most common
 * words and off by one on some ("created", "element", "ratio"); words without Latin letters
 * (numbers, other scripts) count as one syllable. Flesch formulas are calibrated for English,
 * so their scores for other languages are only indicative.
 */
import { parseBlocks, type Block } from './text-metrics-markdown.js';
import { segmentWords, sentenceSplits } from './text-metrics-segment.js';

/** The words of a text, in order. */
export const words = (text: string): string[] => segmentWords(text);

/** Abbreviations after which a full stop and a capital do not start a sentence. Tested on the end of a piece only, so merging stays linear. */
const ABBREVIATION = /(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Mt|Gen|Col|Lt|Sgt|Capt|Rev|Hon|vs|Inc|Ltd|Co|approx|cf|e\.g|i\.e|No|Fig)\.$/;

/** Holds a word: a letter or a digit (what ICU calls word-like). */
const WORDY = /[\p{L}\p{N}]/u;

/** The sentences of one block of plain text; fragments without a word are dropped. */
export function sentencesOf(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const piece of sentenceSplits(text)) {
    pending += piece;
    if (ABBREVIATION.test(piece.trimEnd().slice(-12))) continue;
    if (WORDY.test(pending)) out.push(pending.trim());
    pending = '';
  }
  if (WORDY.test(pending)) out.push(pending.trim());
  return out;
}

/** Prose blocks: paragraphs and list items (headings and code are not read as sentences). */
export const proseBlocks = (blocks: readonly Block[]): Block[] => blocks.filter((b) => b.kind === 'paragraph' || b.kind === 'list-item');

const EXCEPTIONS: Readonly<Record<string, number>> = {
  people: 2,
  business: 2,
  businesses: 3,
  every: 3,
  area: 3,
  idea: 3,
  ideas: 3,
  create: 2,
  created: 3,
  creates: 2,
  science: 2,
  quiet: 2,
  poem: 2,
  poet: 2,
};

/** English syllables of one word (at least 1); see the module comment for its limits. */
export function countSyllables(word: string): number {
  const decomposed = word.normalize('NFD').toLowerCase();
  const w = decomposed.replace(/\p{M}/gu, '').replace(/[^a-z]/g, '');
  if (w === '') return 1;
  const known = EXCEPTIONS[w];
  if (known !== undefined) return known;
  if (w.length <= 3) return 1;
  let n = w.match(/[aeiouy]+/g)?.length ?? 0;
  // Silent endings: "make", "makes", "jumped", "lovely"; not "table", "boxes", "wanted", "handled".
  // "café": an accented final e is pronounced.
  if (/[^aeiouy]e$/.test(w) && !/[^aeiouy]le$/.test(w) && !/e\u0301$/.test(decomposed)) n--;
  else if (/[^aeiouy]es$/.test(w) && !/(?:[sxzcg]|ch|sh|[^aeiouy]l)es$/.test(w)) n--;
  else if (/[^aeiouy]ed$/.test(w) && !/(?:[td]|[^aeiouyl]l)ed$/.test(w)) n--;
  else if (/[^aeiouy]e(?:ly|ful|ness|less|ment|thing|times)$/.test(w)) n--;
  // Vowel pairs read as two syllables: "Australian", "actual", "video", "radio", "medium", "audience", "going", "player".
  n += w.match(/(?<![cts])ia|(?<![qg])ua|(?<![gp])eo|^geo|(?<![tscgxln])io|iu|(?<![ct])ie(?=nce|nt)|[aeiouy]ing$|[aeiou]y[aeiou]/g)?.length ?? 0;
  // A diaeresis starts a new syllable: "naïve", "Zoë".
  n += decomposed.match(/\u0308/g)?.length ?? 0;
  if (/[^aeiouy]ism$/.test(w)) n++;
  return Math.max(1, n);
}

const BE = new Set(['am', 'is', 'are', 'was', 'were', 'be', 'been', 'being', "isn't", "aren't", "wasn't", "weren't"]);
const BETWEEN = new Set(['not', 'also', 'being', 'been', 'still', 'always', 'never', 'often', 'all', 'then', 'just']);
const IRREGULAR_PARTICIPLES = new Set(
  'known made done given taken seen written built sent found held kept left paid put said sold told thought brought bought caught taught shown grown drawn chosen spoken broken driven eaten fallen forgotten frozen hidden ridden shaken stolen sworn thrown worn won begun run sung swum understood felt heard meant met read set shut spent split spread struck hit hurt cut let lost led fed bred born borne'.split(' '),
);
/** Words ending in -ed/-en that are not participles. */
const NOT_PARTICIPLES = new Set(['often', 'even', 'open', 'seven', 'eleven', 'ten', 'when', 'then', 'been', 'seen', 'need', 'indeed', 'red', 'bed', 'shed', 'speed', 'seed', 'feed', 'hundred', 'garden', 'kitchen', 'children', 'women', 'men', 'golden', 'sudden', 'listen', 'happen', 'token', 'dozen', 'citizen', 'oxygen', 'screen', 'green', 'between', 'keen', 'teen']);

function isParticiple(word: string): boolean {
  if (IRREGULAR_PARTICIPLES.has(word)) return true;
  if (NOT_PARTICIPLES.has(word)) return false;
  return (word.length > 4 && word.endsWith('ed')) || (word.length > 5 && word.endsWith('en'));
}

/**
 * Passive voice, roughly: a form of "to be" followed (after at most two words such as "not"
 * or an -ly adverb) by a past participle. "Is interested" counts too; that is the "-ish".
 */
export function isPassiveIsh(sentence: string | readonly string[]): boolean {
  const ws = (typeof sentence === 'string' ? words(sentence) : sentence).map((w) => w.toLowerCase().replaceAll('’', "'"));
  for (let i = 0; i < ws.length; i++) {
    if (!BE.has(ws[i]!)) continue;
    let j = i + 1;
    while (j < ws.length && j <= i + 2 && (BETWEEN.has(ws[j]!) || ws[j]!.endsWith('ly'))) j++;
    if (j < ws.length && isParticiple(ws[j]!)) return true;
  }
  return false;
}

/** Sentences longer than this many words are hard to follow (the threshold most style guides use). */
export const LONG_SENTENCE_WORDS = 20;

/** Flesch reading ease: 206.835 − 1.015 × words per sentence − 84.6 × syllables per word. */
export const fleschReadingEase = (wordCount: number, sentenceCount: number, syllableCount: number): number =>
  206.835 - 1.015 * (wordCount / sentenceCount) - 84.6 * (syllableCount / wordCount);

/** Flesch-Kincaid grade level: 0.39 × words per sentence + 11.8 × syllables per word − 15.59. */
export const fleschKincaidGrade = (wordCount: number, sentenceCount: number, syllableCount: number): number =>
  0.39 * (wordCount / sentenceCount) + 11.8 * (syllableCount / wordCount) - 15.59;

export interface ReadabilityMetrics {
  words: number;
  sentences: number;
  syllables: number;
  /** Null when there is no prose to measure. */
  fleschReadingEase: number | null;
  fleschKincaidGrade: number | null;
  averageSentenceLength: number;
  averageSyllablesPerWord: number;
  /** Shares of sentences, 0 to 1. */
  passiveRatio: number;
  longSentenceRatio: number;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface Sentence {
  text: string;
  words: string[];
}

/** A block's sentences with their words; a block's words are its sentences' words (no word spans a sentence end). */
export const blockSentences = (block: Block): Sentence[] => sentencesOf(block.text).map((text) => ({ text, words: words(text) }));

/** Readability of a Markdown or plain text (or of its parsed blocks), measured on its prose. */
export const readability = (text: string | readonly Block[]): ReadabilityMetrics =>
  readabilityOf(proseBlocks(typeof text === 'string' ? parseBlocks(text) : text).flatMap(blockSentences));

/** Readability of the prose's sentences, each segmented into words once. */
export function readabilityOf(sentences: readonly Sentence[]): ReadabilityMetrics {
  let wordCount = 0;
  let syllableCount = 0;
  let long = 0;
  let passive = 0;
  for (const { words: ws } of sentences) {
    wordCount += ws.length;
    for (const w of ws) syllableCount += countSyllables(w);
    if (ws.length > LONG_SENTENCE_WORDS) long++;
    if (isPassiveIsh(ws)) passive++;
  }
  const s = sentences.length;
  const measurable = s > 0 && wordCount > 0;
  return {
    words: wordCount,
    sentences: s,
    syllables: syllableCount,
    fleschReadingEase: measurable ? round(fleschReadingEase(wordCount, s, syllableCount)) : null,
    fleschKincaidGrade: measurable ? round(fleschKincaidGrade(wordCount, s, syllableCount)) : null,
    averageSentenceLength: measurable ? round(wordCount / s) : 0,
    averageSyllablesPerWord: measurable ? round(syllableCount / wordCount) : 0,
    passiveRatio: s > 0 ? round(passive / s, 3) : 0,
    longSentenceRatio: s > 0 ? round(long / s, 3) : 0,
  };
}

/** Flesch reading ease as a 0-100 score: the formula's own scale, clamped and rounded. */
export const readabilityScore = (m: Pick<ReadabilityMetrics, 'fleschReadingEase'>): number =>
  m.fleschReadingEase === null ? 0 : Math.round(Math.min(100, Math.max(0, m.fleschReadingEase)));
