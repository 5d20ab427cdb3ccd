import { coreServices, createServiceRef, type ServiceContext } from '@markettina/sdk';
import { CampaignStore } from './campaigns.js';
import { CampaignMetricsStore } from './metrics.js';

export type CampaignsServices = ReturnType<typeof createCampaignsServices>;

/** The plugin's own services, one set per kernel; routes reach them through this ref. */
export const campaignsInternals = createServiceRef<CampaignsServices>({ id: 'campaigns.internals' });

/** Wires the services from the kernel's. Nothing here does I/O until called. */
export function createCampaignsServices(ctx: ServiceContext) {
  const events = ctx.get(coreServices.events);
  const campaigns = new CampaignStore(events);
  const metrics = new CampaignMetricsStore(events, campaigns);
  return { campaigns, metrics };
}
