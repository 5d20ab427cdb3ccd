import type { Migration } from '@markettina/sdk';
import * as campaigns from './0001_campaigns.js';

/** The campaigns plugin's migrations, in order. */
export const migrations: Migration[] = [{ name: '0001_campaigns', ...campaigns }];
