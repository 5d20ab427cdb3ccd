import { definePlugin } from '@markettina/sdk';
import { configSchema } from './config.js';
import { socialConnectors } from './contracts.js';
import { socialEvents } from './events.js';
import { refreshTokensJob } from './jobs/refresh-tokens.js';
import { socialSchema } from './migrations/0001_social.js';
import { accountRoutes } from './routes/accounts.js';
import { connectionRoutes } from './routes/connections.js';
import { platformRoutes } from './routes/platforms.js';
import { postRoutes } from './routes/posts.js';
import { createSocialRuntime, socialRuntimeRef } from './runtime.js';

export { socialConnectors } from './contracts.js';

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
    provides: [socialRuntimeRef],
    permissions: [
      { id: 'social.accounts:read', description: 'See connected social accounts and the installed platforms' },
      { id: 'social.accounts:write', description: 'Connect, reconnect and disconnect social accounts' },
      { id: 'social.posts:read', description: 'See posts published through social accounts' },
      { id: 'social.posts:write', description: 'Publish and delete posts through social accounts' },
    ],
  },
  register(reg) {
    reg.config({ deployment: configSchema });
    reg.migrations([socialSchema]);
    reg.extensionPoint(socialConnectors);
    reg.provide(socialRuntimeRef, createSocialRuntime);
    for (const event of socialEvents) reg.publishes(event);
    reg.routes(async (app) => {
      await app.register(platformRoutes);
      await app.register(connectionRoutes);
      await app.register(accountRoutes);
      await app.register(postRoutes);
    });
    reg.job(refreshTokensJob);
  },
});

export default socialPlugin;
