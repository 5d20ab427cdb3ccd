import type { Migration } from '@markettina/sdk';
import * as tenancy from './20261122_0001_tenancy.js';
import * as flags from './20261122_0003_flags.js';
import * as jobs from './20261122_0006_jobs.js';

/** The kernel's own migrations, in order. */
export const kernelMigrations: Migration[] = [
  { name: '20261122_0001_tenancy', ...tenancy },
  { name: '20261122_0003_flags', ...flags },
  { name: '20261122_0006_jobs', ...jobs },
];
