import { definePlugin } from '@markettina/sdk';
import { campaignsServices } from '@markettina/plugin-campaigns/contracts';
import { socialPublisher } from '@markettina/plugin-social/contracts';
import { CONTENT_PLUGIN_ID, EVENT_SCHEMAS, PERMISSION_DECLARATIONS } from './contracts.js';
import { mediaSettingsSchema } from './domain/media.js';
import { migrations } from './migrations/index.js';
import { contentRoutes } from './routes/index.js';
import { contentInternals, createContentServices } from './services/index.js';
import { mediaBlobCleanup } from './services/media-cleanup.js';
import { outcomeSubscriptions } from './services/schedule-outcomes.js';
import { tenantSettingsSchema } from './services/settings.js';
import pkg from '../package.json' with { type: 'json' };

/**
 * Content: posts with versions and per-platform variants, templates, media assets and
 * content pieces with repurposing chains, an approval step, and scheduling to connected
 * accounts through the social plugin's publisher.
 */
export const contentPlugin = definePlugin({
  manifest: {
    id: CONTENT_PLUGIN_ID,
    version: pkg.version,
    kernel: '^1.0.0',
    description: 'Posts, versions, variants, templates, media assets, content pieces, approvals and scheduling',
    permissions: PERMISSION_DECLARATIONS,
    enabledByDefault: true,
    provides: [contentInternals],
    // Campaigns and social are used when installed: content works without either.
    optional: [campaignsServices.campaigns, socialPublisher],
  },
  register(reg) {
    reg.migrations(migrations);
    reg.config({
      deployment: { type: 'object', properties: { media: mediaSettingsSchema }, additionalProperties: false },
      tenantSettings: tenantSettingsSchema,
    });
    reg.provide(contentInternals, (ctx) => createContentServices(ctx));
    reg.routes(contentRoutes);
    for (const [type, schema] of Object.entries(EVENT_SCHEMAS)) reg.publishes({ type, schema });
    for (const subscription of outcomeSubscriptions) reg.subscribe(subscription);
    reg.task(mediaBlobCleanup);
  },
});

export default contentPlugin;
