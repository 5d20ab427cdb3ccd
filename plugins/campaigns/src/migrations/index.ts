import type { Migration } from '@markettina/sdk';
import * as campaigns from './0001_campaigns.js';
import * as campaignMetrics from './0002_campaign_metrics.js';

/** The campaigns plugin's migrations, in order. */
export const migrations: Migration[] = [
  { name: '0001_campaigns', ...campaigns },
  { name: '0002_campaign_metrics', ...campaignMetrics },
];
