import type { Migration } from '@markettina/sdk';
import * as tenantTables from './0001_tenant_tables.js';
import * as platformTables from './0002_platform_tables.js';

/** The identity plugin's migrations, in order. */
export const migrations: Migration[] = [
  { name: '0001_tenant_tables', ...tenantTables },
  { name: '0002_platform_tables', ...platformTables },
];
