import { definePlugin } from '@markettina/sdk';
import { socialConnectors } from '@markettina/plugin-social/contracts';
import { ghostConnector } from './connector.js';

export { ghostConnector };

/** Ghost for the social plugin: install both, and tenants can publish to their Ghost sites. */
export const ghostPlugin = definePlugin({
  manifest: {
    id: 'connector-ghost',
    version: '0.1.0',
    kernel: '^1.0.0',
    description: 'Ghost connector (Admin API, integration keys)',
    enabledByDefault: true,
  },
  register(reg) {
    reg.extend(socialConnectors, ghostConnector);
  },
});

export default ghostPlugin;
