import { pageOf, pageQuery, timestamp, uuid, type JsonSchema } from '@markettina/sdk';
import { CAMPAIGN_STATUSES, GOAL_KPIS } from '../contracts.js';

/** Response schemas of the problems a route can answer; every route lists its own. */
export const problem = { $ref: 'Problem#' } as const;
export const errors = (...statuses: number[]): Record<number, typeof problem> => Object.fromEntries(statuses.map((s) => [s, problem]));

export const params = (...names: string[]): JsonSchema => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, uuid])),
  required: names,
  additionalProperties: false,
});

export const noContent = { 204: { type: 'null', description: 'Done' } } as const;

export const status = { enum: CAMPAIGN_STATUSES } as const;
const date = { type: 'string', format: 'date', description: 'A calendar day, YYYY-MM-DD' } as const;
// Integers JavaScript represents exactly; PostgreSQL stores them as bigint.
const tokens = { type: 'integer', minimum: 0, maximum: 1_000_000_000_000 } as const;

export const goal: JsonSchema = {
  type: 'object',
  properties: { kpi: { enum: GOAL_KPIS }, target: { type: 'number', exclusiveMinimum: 0, maximum: 1e15 } },
  required: ['kpi', 'target'],
  additionalProperties: false,
};
const goals = { type: 'array', maxItems: GOAL_KPIS.length, items: goal } as const;

const fields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  description: { type: 'string', maxLength: 5000 },
  goals,
  startDate: date,
  endDate: date,
  budgetTokens: tokens,
} as const;

export const createBody: JsonSchema = {
  type: 'object',
  properties: fields,
  required: ['name', 'startDate', 'endDate', 'budgetTokens'],
  additionalProperties: false,
};

export const patchBody: JsonSchema = { type: 'object', properties: fields, additionalProperties: false, minProperties: 1 };

export const transitionBody: JsonSchema = { type: 'object', properties: { to: status }, required: ['to'], additionalProperties: false };

export const listQuery: JsonSchema = {
  type: 'object',
  properties: {
    ...pageQuery,
    status,
    from: { ...date, description: 'Only campaigns running on or after this day' },
    to: { ...date, description: 'Only campaigns running on or before this day' },
  },
  additionalProperties: false,
};

export const campaignOut: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string' },
    description: { type: 'string' },
    goals: { type: 'array', items: goal },
    startDate: date,
    endDate: date,
    budgetTokens: tokens,
    spentTokens: tokens,
    status,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'name', 'description', 'goals', 'startDate', 'endDate', 'budgetTokens', 'spentTokens', 'status', 'createdAt', 'updatedAt'],
};
export const campaignPage = pageOf(campaignOut);
