import { problems } from '@markettina/sdk';
import type { CampaignGoal, CampaignStatus } from '../contracts.js';

/** The fields a client sets; tokens spent only grow through spending, never through an edit. */
export interface CampaignFields {
  name: string;
  description: string;
  goals: CampaignGoal[];
  startDate: string;
  endDate: string;
  budgetTokens: number;
}

export type CampaignPatch = Partial<CampaignFields>;

export interface CampaignState extends CampaignFields {
  status: CampaignStatus;
  spentTokens: number;
}

/**
 * What may still change in each status. Once a campaign runs its start date is history;
 * once it is completed nothing changes, so what was reported stays true.
 */
const EDITABLE: Readonly<Record<CampaignStatus, readonly (keyof CampaignFields)[]>> = {
  planning: ['name', 'description', 'goals', 'startDate', 'endDate', 'budgetTokens'],
  active: ['name', 'description', 'goals', 'endDate', 'budgetTokens'],
  paused: ['name', 'description', 'goals', 'endDate', 'budgetTokens'],
  completed: [],
};

export const editableFields = (status: CampaignStatus): readonly (keyof CampaignFields)[] => EDITABLE[status];

/** Dates are ISO `YYYY-MM-DD`, so text order is date order. */
export function assertDateRange(startDate: string, endDate: string): void {
  if (startDate > endDate) throw problems.invalid('CAMPAIGN_DATES_INVALID', `start date ${startDate} is after end date ${endDate}`, { startDate, endDate });
}

export function assertBudget(spentTokens: number, budgetTokens: number): void {
  if (spentTokens > budgetTokens) {
    throw problems.invalid('CAMPAIGN_BUDGET_EXCEEDED', `${spentTokens} tokens are spent, more than the budget of ${budgetTokens}`, { spentTokens, budgetTokens });
  }
}

/** One target per KPI: two targets for the same measure could never both be reported against. */
export function assertGoals(goals: readonly CampaignGoal[]): void {
  const seen = new Set<string>();
  for (const goal of goals) {
    if (seen.has(goal.kpi)) throw problems.invalid('CAMPAIGN_GOAL_DUPLICATE', `more than one goal for ${goal.kpi}`, { kpi: goal.kpi });
    seen.add(goal.kpi);
  }
}

/** A new campaign: planned, nothing spent. */
export function newCampaign(fields: CampaignFields): CampaignState {
  assertDateRange(fields.startDate, fields.endDate);
  assertGoals(fields.goals);
  const state: CampaignState = { ...fields, status: 'planning', spentTokens: 0 };
  assertBudget(state.spentTokens, state.budgetTokens);
  return state;
}

/** The campaign after `patch`, or the problem that forbids it. */
export function applyPatch(current: CampaignState, patch: CampaignPatch): CampaignState {
  const allowed = EDITABLE[current.status];
  const locked = (Object.keys(patch) as (keyof CampaignFields)[]).filter((k) => patch[k] !== undefined && !allowed.includes(k));
  if (locked.length > 0) {
    throw problems.conflict('CAMPAIGN_FIELD_LOCKED', `${locked.join(', ')} cannot change while the campaign is ${current.status}`, { campaignStatus: current.status, fields: locked });
  }
  const next: CampaignState = { ...current };
  for (const key of Object.keys(patch) as (keyof CampaignFields)[]) {
    if (patch[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = patch[key];
  }
  assertDateRange(next.startDate, next.endDate);
  assertGoals(next.goals);
  assertBudget(next.spentTokens, next.budgetTokens);
  return next;
}

/** Spending tokens from the budget; never past it. */
export function spend(current: CampaignState, tokens: number): CampaignState {
  if (current.status !== 'active') throw problems.conflict('CAMPAIGN_NOT_ACTIVE', `tokens are spent only while a campaign is active, not ${current.status}`, { campaignStatus: current.status });
  const next = { ...current, spentTokens: current.spentTokens + tokens };
  assertBudget(next.spentTokens, next.budgetTokens);
  return next;
}
