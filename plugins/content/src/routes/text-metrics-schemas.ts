import type { JsonSchema } from '@markettina/sdk';
import { PIECE_TYPES } from '../contracts.js';
import { nullable } from './schemas.js';

/** The text a score is computed from, as a piece stores it and as /analyze takes it. */
export const textFields = {
  title: { type: 'string', maxLength: 300 },
  body: { type: 'string', maxLength: 100000, description: 'Markdown or plain text' },
  keywords: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 80 }, description: 'The first is the focus keyword' },
  metaTitle: nullable({ type: 'string', maxLength: 300 }),
  metaDescription: nullable({ type: 'string', maxLength: 1000 }),
} as const;

const score = { type: 'integer', minimum: 0, maximum: 100 } as const;
const number = { type: 'number' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;

export const scoresOut: JsonSchema = {
  type: 'object',
  properties: { quality: score, readability: score, seo: score },
  required: ['quality', 'readability', 'seo'],
};

const check: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    weight: number,
    score,
    lost: { ...number, description: 'Points of the total this check took away' },
    detail: { type: 'string' },
  },
  required: ['id', 'weight', 'score', 'lost', 'detail'],
};

const METRICS = {
  characters: number,
  words: number,
  sentences: number,
  paragraphs: number,
  headings: number,
  links: number,
  syllables: number,
  fleschReadingEase: nullableNumber,
  fleschKincaidGrade: nullableNumber,
  averageSentenceLength: number,
  averageSyllablesPerWord: number,
  passiveRatio: number,
  longSentenceRatio: number,
  lexicalDiversity: number,
  repetitionRatio: number,
  keywordDensity: nullableNumber,
} as const;

export const analysisOut: JsonSchema = {
  type: 'object',
  properties: {
    metrics: { type: 'object', properties: METRICS, required: Object.keys(METRICS) },
    breakdown: {
      type: 'object',
      properties: { quality: { type: 'array', items: check }, readability: { type: 'array', items: check }, seo: { type: 'array', items: check } },
      required: ['quality', 'readability', 'seo'],
      description: 'Per score, the checks behind it, biggest loss first',
    },
  },
  required: ['metrics', 'breakdown'],
};

export const analyzeBody: JsonSchema = {
  type: 'object',
  properties: {
    type: { enum: PIECE_TYPES },
    title: { ...textFields.title, default: '' },
    body: textFields.body,
    keywords: { ...textFields.keywords, default: [] },
    metaTitle: { ...textFields.metaTitle, default: null },
    metaDescription: { ...textFields.metaDescription, default: null },
  },
  required: ['type', 'body'],
  additionalProperties: false,
};

export const analyzeOut: JsonSchema = {
  type: 'object',
  properties: { scores: scoresOut, ...(analysisOut.properties as Record<string, JsonSchema>) },
  required: ['scores', 'metrics', 'breakdown'],
};
