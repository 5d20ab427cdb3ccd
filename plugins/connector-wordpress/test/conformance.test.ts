import { connectorConformance } from '@markettina/sdk/testing';
import { wordpressConnector } from '../src/connector.js';
import { startFakeWordPress, WP_USER } from './fake-wordpress.js';

connectorConformance({
  connector: wordpressConnector,
  startFake: () => startFakeWordPress(),
  fields: { valid: { username: WP_USER.login, applicationPassword: WP_USER.applicationPassword }, invalid: { username: WP_USER.login, applicationPassword: 'Wxyz Wxyz Wxyz Wxyz Wxyz Wxyz' } },
});
