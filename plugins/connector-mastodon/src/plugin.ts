import { definePlugin } from '@markettina/sdk';
import { socialConnectors } from '@markettina/plugin-social/contracts';
import { mastodonConnector } from './connector.js';

export { mastodonConnector };

/** Mastodon for the social plugin: install both, and tenants can connect any Mastodon instance. */
export const mastodonPlugin = definePlugin({
  manifest: {
    id: 'connector-mastodon',
    version: '0.1.0',
    kernel: '^1.0.0',
    description: 'Mastodon connector (any instance)',
    enabledByDefault: true,
  },
  register(reg) {
    reg.extend(socialConnectors, mastodonConnector);
  },
});

export default mastodonPlugin;
