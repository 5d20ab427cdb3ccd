import { definePlugin } from '@markettina/sdk';
import { socialConnectors } from '@markettina/plugin-social/contracts';
import { wordpressConnector } from './connector.js';

export { wordpressConnector };

/** WordPress for the social plugin: install both, and tenants can publish to their WordPress sites. */
export const wordpressPlugin = definePlugin({
  manifest: {
    id: 'connector-wordpress',
    version: '0.1.0',
    kernel: '^1.0.0',
    description: 'WordPress connector (self-hosted sites, application passwords)',
    enabledByDefault: true,
  },
  register(reg) {
    reg.extend(socialConnectors, wordpressConnector);
  },
});

export default wordpressPlugin;
