import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** How test processes find the cluster the test runner started. */
export const CLUSTER_ENV = 'MARKETTINA_TEST_CLUSTER';
export const TEST_APP_ROLE = 'markettina_app';
export const TEST_OWNER_ROLE = 'markettina_owner';

export interface ClusterInfo {
  superuserUrl: string;
  ownerPassword: string;
  appPassword: string;
}

const ROOT = join(tmpdir(), 'markettina-test-pg');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes clusters whose creating process is gone, stopping their server first. */
export function sweepStaleClusters(): void {
  if (!existsSync(ROOT)) return;
  for (const dir of readdirSync(ROOT)) {
    const owner = Number(dir.split('-')[0]);
    if (!Number.isInteger(owner) || alive(owner)) continue;
    const pidFile = join(ROOT, dir, 'data', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (pid > 0 && alive(pid)) {
        try {
          process.kill(pid, 'SIGQUIT');
        } catch {
          /* already gone */
        }
      }
    }
    rmSync(join(ROOT, dir), { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts one embedded cluster for a whole test run, in a folder and on a port of its own,
 * with the owner and app roles the kernel expects.
 */
export async function startTestCluster(): Promise<{ info: ClusterInfo; stop(): Promise<void> }> {
  const { startEmbeddedCluster, ensureRole } = await import('@markettina/kernel');
  sweepStaleClusters();
  mkdirSync(ROOT, { recursive: true });
  const baseDir = join(ROOT, `${process.pid}-${randomBytes(4).toString('hex')}`);
  const cluster = await startEmbeddedCluster({ baseDir, port: await freePort() });
  const { ownerPassword, appPassword } = cluster.credentials;
  await ensureRole(cluster.superuserUrl, { name: TEST_OWNER_ROLE, password: ownerPassword, kind: 'owner' });
  await ensureRole(cluster.superuserUrl, { name: TEST_APP_ROLE, password: appPassword, kind: 'app' });
  return {
    info: { superuserUrl: cluster.superuserUrl, ownerPassword, appPassword },
    async stop() {
      await cluster.stop();
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
}

let local: Promise<ClusterInfo> | undefined;

/** The run's cluster, or (when a test file runs on its own) one started for this process. */
export function testCluster(): Promise<ClusterInfo> {
  const fromEnv = process.env[CLUSTER_ENV];
  if (fromEnv) return Promise.resolve(JSON.parse(fromEnv) as ClusterInfo);
  local ??= startTestCluster().then(({ info, stop }) => {
    process.once('beforeExit', () => void stop());
    return info;
  });
  return local;
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function hashKey(parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}
