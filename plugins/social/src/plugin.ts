import { definePlugin } from '@markettina/sdk';
import { configSchema } from './config.js';
import { socialConnectors, socialPublisher } from './contracts.js';
import { publicationEvents, socialEvents } from './events.js';
import { publishDueJob } from './jobs/publish-due.js';
import { refreshTokensJob } from './jobs/refresh-tokens.js';
import { syncMetricsJob } from './jobs/sync-metrics.js';
import { socialSchema } from './migrations/0001_social.js';
import { publicationsSchema } from './migrations/0002_publications.js';
import { postMetricsSchema } from './migrations/0003_post_metrics.js';
import { accountRoutes } from './routes/accounts.js';
import { connectionRoutes } from './routes/connections.js';
import { platformRoutes } from './routes/platforms.js';
import { postRoutes } from './routes/posts.js';
import { publicationRoutes } from './routes/publications.js';
import { publicationMetricsRoutes } from './routes/publication-metrics.js';
import { createSocialRuntime, socialRuntimeRef } from './runtime.js';
import { enrolPublishedPosts } from './subscribers/publication-metrics.js';
import { createPublisher } from './services/publisher.js';

export { socialConnectors, socialPublisher } from './contracts.js';

/**
 * Connected social accounts per tenant and publishing through connectors. Connectors are
 * plugins that contribute to the `socialConnectors` extension point.
 */
export const socialPlugin = definePlugin({
  manifest: {
    id: 'social',
    version: '0.1.0',
    kernel: '^1.0.0',
    description: 'Connected social accounts, connectors and publishing',
    enabledByDefault: true,
    provides: [socialRuntimeRef, socialPublisher],
    permissions: [
      { id: 'social.accounts:read', description: 'See connected social accounts and the installed platforms' },
      { id: 'social.accounts:write', description: 'Connect, reconnect and disconnect social accounts' },
      { id: 'social.posts:read', description: 'See posts published through social accounts' },
      { id: 'social.posts:write', description: 'Publish and delete posts through social accounts' },
    ],
  },
  register(reg) {
    reg.config({ deployment: configSchema });
    reg.migrations([socialSchema, publicationsSchema, postMetricsSchema]);
    reg.extensionPoint(socialConnectors);
    reg.provide(socialRuntimeRef, createSocialRuntime);
    reg.provide(socialPublisher, (ctx) => createPublisher(ctx.get(socialRuntimeRef)));
    for (const event of [...socialEvents, ...publicationEvents]) reg.publishes(event);
    reg.routes(async (app) => {
      await app.register(platformRoutes);
      await app.register(connectionRoutes);
      await app.register(accountRoutes);
      await app.register(postRoutes);
      await app.register(publicationRoutes);
      await app.register(publicationMetricsRoutes);
    });
    reg.subscribe(enrolPublishedPosts);
    reg.job(refreshTokensJob);
    reg.job(syncMetricsJob);
    reg.job(publishDueJob);
  },
});

export default socialPlugin;
