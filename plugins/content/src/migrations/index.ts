import type { Migration } from '@markettina/sdk';

/** The content plugin's migrations, in order. */
export const migrations: Migration[] = [];
