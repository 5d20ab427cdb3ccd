import { connectorConformance } from '@markettina/sdk/testing';
import { blueskyConnector } from '../src/connector.js';
import { startFakeBluesky } from './fake-bluesky.js';

connectorConformance({
  connector: blueskyConnector,
  startFake: startFakeBluesky,
  setup: { languages: 'en' },
  fields: { valid: { identifier: 'markettina.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' }, invalid: { identifier: 'markettina.bsky.social', appPassword: 'wxyz-wxyz-wxyz-wxyz' } },
});
