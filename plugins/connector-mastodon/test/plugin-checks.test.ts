import { pluginChecks } from '@markettina/sdk/testing';
import socialPlugin from '@markettina/plugin-social';
import { mastodonPlugin } from '../src/plugin.js';

pluginChecks({ plugins: [socialPlugin, mastodonPlugin] });
