import { pluginChecks } from '@markettina/sdk/testing';
import socialPlugin from '@markettina/plugin-social';
import { blueskyPlugin } from '../src/plugin.js';

pluginChecks({ plugins: [socialPlugin, blueskyPlugin] });
