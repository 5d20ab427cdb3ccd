import type { Migration } from '@markettina/sdk';
import * as tenancy from './20261122_0001_tenancy.js';
import * as events from './20261122_0002_events.js';
import * as flags from './20261122_0003_flags.js';
import * as rateLimits from './20261122_0004_rate_limits.js';
import * as idempotency from './20261122_0005_idempotency.js';
import * as jobs from './20261122_0006_jobs.js';
import * as accountChildren from './20261122_0007_account_children.js';

/** The kernel's own migrations, in order. */
export const kernelMigrations: Migration[] = [
  { name: '20261122_0001_tenancy', ...tenancy },
  { name: '20261122_0002_events', ...events },
  { name: '20261122_0003_flags', ...flags },
  { name: '20261122_0004_rate_limits', ...rateLimits },
  { name: '20261122_0005_idempotency', ...idempotency },
  { name: '20261122_0006_jobs', ...jobs },
  { name: '20261122_0007_account_children', ...accountChildren },
];
