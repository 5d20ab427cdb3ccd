import { pluginChecks } from '@markettina/sdk/testing';
import socialPlugin from '@markettina/plugin-social';
import { ghostPlugin } from '../src/plugin.js';

pluginChecks({ plugins: [socialPlugin, ghostPlugin] });
