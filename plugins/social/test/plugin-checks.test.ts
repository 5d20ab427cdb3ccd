import { pluginChecks } from '@markettina/sdk/testing';
import { socialPlugin } from '../src/plugin.js';
import { fixtureConnectorsPlugin } from './fixtures/pagebook.js';

pluginChecks({ plugins: [socialPlugin, fixtureConnectorsPlugin('https://pagebook.invalid')], pluginIds: ['social'] });
