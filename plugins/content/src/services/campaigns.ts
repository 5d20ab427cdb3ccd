import { problems } from '@markettina/sdk';
import type { CampaignsDirectory } from '@markettina/plugin-campaigns/contracts';

/**
 * A campaign a post or a piece names must be one of the tenant's campaigns. Content works
 * without the campaigns plugin, so a reference is accepted only where it can be checked:
 * without that plugin it is 409 CAMPAIGNS_UNAVAILABLE (the request is fine, the deployment
 * lacks the plugin), else an unknown campaign is 422 CAMPAIGN_NOT_FOUND. No reference
 * (null or left out) needs no check.
 */
export async function assertCampaign(campaigns: CampaignsDirectory | undefined, campaignId: string | null | undefined): Promise<void> {
  if (campaignId === null || campaignId === undefined) return;
  if (!campaigns) throw problems.conflict('CAMPAIGNS_UNAVAILABLE', 'campaigns are not installed on this deployment; leave campaignId out', { campaignId });
  if (!(await campaigns.get(campaignId))) throw problems.invalid('CAMPAIGN_NOT_FOUND', `there is no campaign ${campaignId}`, { campaignId });
}
