import { definePlugin } from '@markettina/sdk';
import { CONTENT_PLUGIN_ID, EVENT_SCHEMAS, PERMISSION_DECLARATIONS } from './contracts.js';
import { migrations } from './migrations/index.js';
import { contentRoutes } from './routes/index.js';
import { campaignsServices } from '@markettina/plugin-campaigns/contracts';
import { socialPublisher } from '@markettina/plugin-social/contracts';
import { mediaCatalog } from './services/posts-media.js';
import { createPostsServices, postsInternals } from './services/posts-internals.js';
import { createPiecesServices, piecesInternals } from './services/pieces-services.js';
import { tenantSettingsSchema } from './services/posts-settings.js';
import { outcomeSubscriptions } from './services/schedule-outcomes.js';
import { mediaSettingsSchema } from './domain/media.js';
import { mediaBlobCleanup } from './services/media-cleanup.js';
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
    provides: [postsInternals, piecesInternals],
    // Campaigns and social are used when installed: content works without either.
    optional: [campaignsServices.campaigns, socialPublisher],
  },
  register(reg) {
    reg.migrations(migrations);
    reg.routes(contentRoutes);
    reg.config({ tenantSettings: tenantSettingsSchema });
    reg.provide(postsInternals, (ctx) => createPostsServices(ctx, mediaCatalog));
    reg.provide(piecesInternals, (ctx) => createPiecesServices(ctx));
    for (const subscription of outcomeSubscriptions) reg.subscribe(subscription);
    reg.task(mediaBlobCleanup);
    reg.config({ deployment: { type: 'object', properties: { media: mediaSettingsSchema }, additionalProperties: false } });
    for (const [type, schema] of Object.entries(EVENT_SCHEMAS)) reg.publishes({ type, schema });
  },
});

export default contentPlugin;
