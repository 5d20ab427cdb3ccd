import { definePlugin } from '@markettina/sdk';
import { socialConnectors } from '@markettina/plugin-social/contracts';
import { blueskyConnector } from './connector.js';

export { blueskyConnector };

/** Bluesky for the social plugin: install both, and tenants can connect accounts on bsky.social or any PDS. */
export const blueskyPlugin = definePlugin({
  manifest: {
    id: 'connector-bluesky',
    version: '0.1.0',
    kernel: '^1.0.0',
    description: 'Bluesky connector (AT Protocol, any PDS)',
    enabledByDefault: true,
  },
  register(reg) {
    reg.extend(socialConnectors, blueskyConnector);
  },
});

export default blueskyPlugin;
