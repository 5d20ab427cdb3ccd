import { connectorConformance } from '@markettina/sdk/testing';
import { mastodonConnector } from '../src/connector.js';
import { startFakeMastodon } from './fake-mastodon.js';

connectorConformance({ connector: mastodonConnector, startFake: startFakeMastodon });
