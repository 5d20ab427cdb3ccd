/**
 * The campaigns plugin's public contract: event types with their payload schemas and
 * permission ids. Other plugins import this entry point
 * (`@markettina/plugin-campaigns/contracts`), never the implementation. No logic here.
 */
import { uuid, type PermissionDeclaration } from '@markettina/sdk';

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
