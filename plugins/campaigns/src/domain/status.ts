import { problems } from '@markettina/sdk';
import type { CampaignStatus } from '../contracts.js';

/**
 * The campaign lifecycle: planned, then run (possibly with pauses), then closed for good.
 * `completed` is terminal so that budgets and results stop moving once reported.
 */
export const TRANSITIONS: Readonly<Record<CampaignStatus, readonly CampaignStatus[]>> = {
  planning: ['active'],
  active: ['paused', 'completed'],
  paused: ['active', 'completed'],
  completed: [],
};

export const canTransition = (from: CampaignStatus, to: CampaignStatus): boolean => TRANSITIONS[from].includes(to);

/** Throws the 409 a client sees for a move the lifecycle does not allow. */
export function assertTransition(from: CampaignStatus, to: CampaignStatus): void {
  if (!canTransition(from, to)) {
    throw problems.conflict('CAMPAIGN_TRANSITION_INVALID', `a campaign cannot go from ${from} to ${to}`, { from, to, allowed: [...TRANSITIONS[from]] });
  }
}

/** Only a campaign that never ran can be deleted: one that ran has spend and results to keep. */
export function assertDeletable(status: CampaignStatus): void {
  if (status !== 'planning') throw problems.conflict('CAMPAIGN_NOT_DELETABLE', `a campaign in ${status} cannot be deleted; only one in planning can`, { campaignStatus: status });
}
