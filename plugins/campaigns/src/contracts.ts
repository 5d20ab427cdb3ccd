/**
 * The campaigns plugin's public contract: event types with their payload schemas and
 * permission ids. Other plugins import this entry point
 * (`@markettina/plugin-campaigns/contracts`), never the implementation. No logic here.
 */
import { createServiceRef, uuid, type PermissionDeclaration, type ServiceRef } from '@markettina/sdk';

export const CAMPAIGNS_PLUGIN_ID = 'campaigns';

export const CAMPAIGN_STATUSES = ['planning', 'active', 'paused', 'completed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** What a goal measures; the metrics sync rolls these totals up to the campaign. */
export const GOAL_KPIS = ['impressions', 'reach', 'clicks', 'engagements', 'followers', 'leads', 'conversions', 'posts'] as const;
export type GoalKpi = (typeof GOAL_KPIS)[number];

export interface CampaignGoal {
  kpi: GoalKpi;
  target: number;
}

export interface CampaignView {
  id: string;
  name: string;
  description: string;
  goals: CampaignGoal[];
  /** Calendar days, `YYYY-MM-DD`, both included. */
  startDate: string;
  endDate: string;
  budgetTokens: number;
  spentTokens: number;
  status: CampaignStatus;
  createdAt: string;
  updatedAt: string;
}

/**
 * The current tenant's campaigns, for plugins that attach work to one (content, scheduling,
 * metrics). Request scope: it works in the caller's transaction, so a spend commits or rolls
 * back with the work it paid for.
 */
export interface CampaignsDirectory {
  get(campaignId: string): Promise<CampaignView | undefined>;
  /**
   * Takes `tokens` from an active campaign's budget. Throws a 409 problem
   * (CAMPAIGN_NOT_ACTIVE) unless the campaign is active, a 422 (CAMPAIGN_BUDGET_EXCEEDED)
   * when the budget would be exceeded, and a 404 when there is no such campaign.
   */
  spend(campaignId: string, tokens: number): Promise<CampaignView>;
}

export const campaignsServices = {
  campaigns: createServiceRef<CampaignsDirectory>({ id: 'campaigns.directory', scope: 'request' }) as ServiceRef<CampaignsDirectory> & { scope: 'request' },
};

export const PERMISSIONS = {
  campaignsRead: 'campaigns.campaigns:read',
  campaignsWrite: 'campaigns.campaigns:write',
} as const;

export const PERMISSION_DECLARATIONS: PermissionDeclaration[] = [
  { id: PERMISSIONS.campaignsRead, description: 'List and read campaigns' },
  { id: PERMISSIONS.campaignsWrite, description: 'Create, change, transition and delete campaigns' },
];

export const EVENTS = {
  campaignCreated: 'campaigns.CampaignCreated',
  campaignActivated: 'campaigns.CampaignActivated',
  campaignCompleted: 'campaigns.CampaignCompleted',
  campaignGoalReached: 'campaigns.CampaignGoalReached',
} as const;

const date = { type: 'string', format: 'date' } as const;
const tokens = { type: 'integer', minimum: 0 } as const;
const status = { enum: CAMPAIGN_STATUSES } as const;

/** Payload schemas; events are published in the tenant that owns the campaign. */
export const EVENT_SCHEMAS = {
  [EVENTS.campaignCreated]: {
    type: 'object',
    properties: { campaignId: uuid, name: { type: 'string' }, startDate: date, endDate: date, budgetTokens: tokens },
    required: ['campaignId', 'name', 'startDate', 'endDate', 'budgetTokens'],
    additionalProperties: false,
  },
  // Published on every entry into `active`: `from` tells a launch (planning) from a resume (paused).
  [EVENTS.campaignActivated]: {
    type: 'object',
    properties: { campaignId: uuid, from: status },
    required: ['campaignId', 'from'],
    additionalProperties: false,
  },
  [EVENTS.campaignCompleted]: {
    type: 'object',
    properties: { campaignId: uuid, from: status, budgetTokens: tokens, spentTokens: tokens },
    required: ['campaignId', 'from', 'budgetTokens', 'spentTokens'],
    additionalProperties: false,
  },
  // Once per goal and target: raising a target lets it be reached, and announced, again.
  [EVENTS.campaignGoalReached]: {
    type: 'object',
    properties: { campaignId: uuid, kpi: { enum: GOAL_KPIS }, target: { type: 'number' }, actual: { type: 'number' } },
    required: ['campaignId', 'kpi', 'target', 'actual'],
    additionalProperties: false,
  },
} as const;

export interface CampaignCreatedData extends Record<string, unknown> {
  campaignId: string;
  name: string;
  startDate: string;
  endDate: string;
  budgetTokens: number;
}

export interface CampaignActivatedData extends Record<string, unknown> {
  campaignId: string;
  from: CampaignStatus;
}

export interface CampaignCompletedData extends Record<string, unknown> {
  campaignId: string;
  from: CampaignStatus;
  budgetTokens: number;
  spentTokens: number;
}

export interface CampaignGoalReachedData extends Record<string, unknown> {
  campaignId: string;
  kpi: GoalKpi;
  target: number;
  /** The measured value when the goal was found reached. */
  actual: number;
}
