import { definePlugin } from '@markettina/sdk';
import { CAMPAIGNS_PLUGIN_ID, campaignsServices, EVENT_SCHEMAS, PERMISSION_DECLARATIONS } from './contracts.js';
import { migrations } from './migrations/index.js';
import { campaignsRoutes } from './routes/index.js';
import { metricsSubscriptions } from './subscribers/metrics.js';
import { campaignsInternals, createCampaignsServices } from './services/index.js';
import pkg from '../package.json' with { type: 'json' };

/**
 * Campaigns: a tenant's marketing campaigns with goals, a date range and a token budget,
 * moving through planning → active ⇄ paused → completed. Content and scheduling refer to
 * them; metrics roll up to them.
 */
export const campaignsPlugin = definePlugin({
  manifest: {
    id: CAMPAIGNS_PLUGIN_ID,
    version: pkg.version,
    kernel: '^1.0.0',
    description: 'Campaigns with goals, date range, token budget and a status lifecycle',
    provides: [campaignsInternals, campaignsServices.campaigns],
    permissions: PERMISSION_DECLARATIONS,
    enabledByDefault: true,
  },
  register(reg) {
    reg.migrations(migrations);
    reg.provide(campaignsInternals, (ctx) => createCampaignsServices(ctx));
    reg.provide(campaignsServices.campaigns, (ctx) => {
      const store = ctx.get(campaignsInternals).campaigns;
      return {
        get: async (id) => store.find(ctx.db, id),
        spend: async (id, tokens) => store.spend(ctx.db, id, tokens),
      };
    });
    reg.routes(campaignsRoutes);
    for (const [type, schema] of Object.entries(EVENT_SCHEMAS)) reg.publishes({ type, schema });
    for (const subscription of metricsSubscriptions) reg.subscribe(subscription);
  },
});

export default campaignsPlugin;
