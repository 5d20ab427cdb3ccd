import { pluginChecks } from '@markettina/sdk/testing';
import { contentPlugin } from '../src/plugin.js';

// The schema check on every content table and the bad-input check on every content route.
pluginChecks({ plugins: [contentPlugin] });
