import { pluginChecks } from '@markettina/sdk/testing';
import { campaignsPlugin } from '../src/plugin.js';

// The schema check on the campaigns table and the bad-input check on every campaigns route.
pluginChecks({ plugins: [campaignsPlugin] });
