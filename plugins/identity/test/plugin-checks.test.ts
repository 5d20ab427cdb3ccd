import { pluginChecks } from '@markettina/sdk/testing';
import { identityWith } from './fixtures/kit.js';

// The schema check on every identity table and the bad-input check on every identity route.
pluginChecks({ plugins: [identityWith()] });
