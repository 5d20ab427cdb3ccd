import type { KernelConfig } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { startEmbeddedCluster, type EmbeddedCluster } from './embedded.js';
import { ensureDatabase, ensureRole, withCredentials } from './roles.js';

export const OWNER_ROLE = 'markettina_owner';
export const DATABASE_NAME = 'markettina';

export interface DatabaseUrls {
  /** Runs migrations. */
  ownerUrl: string;
  /** Serves requests, jobs and handlers under row level security. */
  appUrl: string;
  embedded?: EmbeddedCluster;
}

/**
 * With `database.url` the deployment's server is used and the URL's role is the owner.
 * Without it a real PostgreSQL is started from the embedded binaries under the working
 * directory, and both roles are created there.
 */
export async function prepareDatabase(config: KernelConfig, log?: (msg: string) => void): Promise<DatabaseUrls> {
  const { database } = config;
  if (database.url) {
    if (!database.appPassword) {
      throw new ConfigError(
        'DATABASE_APP_PASSWORD_MISSING',
        `DATABASE_URL is set, so the app role "${database.appRole}" needs a password: set DATABASE_APP_PASSWORD or database.appPassword`,
      );
    }
    return { ownerUrl: database.url, appUrl: withCredentials(database.url, database.appRole, database.appPassword) };
  }
  const embedded = await startEmbeddedCluster({
    baseDir: database.embedded.dataDir,
    port: database.embedded.port,
    onLog: log,
  });
  const { ownerPassword, appPassword } = embedded.credentials;
  await ensureRole(embedded.superuserUrl, { name: OWNER_ROLE, password: ownerPassword, kind: 'owner' });
  await ensureRole(embedded.superuserUrl, { name: database.appRole, password: appPassword, kind: 'app' });
  await ensureDatabase(embedded.superuserUrl, DATABASE_NAME, OWNER_ROLE);
  return {
    ownerUrl: withCredentials(embedded.superuserUrl, OWNER_ROLE, ownerPassword, DATABASE_NAME),
    appUrl: withCredentials(embedded.superuserUrl, database.appRole, appPassword, DATABASE_NAME),
    embedded,
  };
}

