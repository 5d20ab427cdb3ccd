import { pluginChecks } from '@markettina/sdk/testing';
import socialPlugin from '@markettina/plugin-social';
import { wordpressPlugin } from '../src/plugin.js';

pluginChecks({ plugins: [socialPlugin, wordpressPlugin] });
