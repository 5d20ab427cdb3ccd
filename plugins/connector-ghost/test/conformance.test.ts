import { connectorConformance } from '@markettina/sdk/testing';
import { ghostConnector } from '../src/connector.js';
import { GHOST_ADMIN_KEY, startFakeGhost } from './fake-ghost.js';

connectorConformance({
  connector: ghostConnector,
  startFake: () => startFakeGhost(),
  // Same id, another secret: the key Ghost no longer knows after the integration's key was regenerated.
  fields: { valid: { adminApiKey: GHOST_ADMIN_KEY }, invalid: { adminApiKey: `${GHOST_ADMIN_KEY.split(':')[0]}:${'0'.repeat(64)}` } },
});
