import { definePlugin } from '@markettina/sdk';
import { CONTENT_PLUGIN_ID, EVENT_SCHEMAS, PERMISSION_DECLARATIONS } from './contracts.js';
import { migrations } from './migrations/index.js';
import { contentRoutes } from './routes/index.js';
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
  },
  register(reg) {
    reg.migrations(migrations);
    reg.routes(contentRoutes);
    reg.task(mediaBlobCleanup);
    reg.config({ deployment: { type: 'object', properties: { media: mediaSettingsSchema }, additionalProperties: false } });
    for (const [type, schema] of Object.entries(EVENT_SCHEMAS)) reg.publishes({ type, schema });
  },
});

export default contentPlugin;
