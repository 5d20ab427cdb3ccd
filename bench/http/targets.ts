import { CLUSTER_ENV, startTestCluster, startTestKernel } from '@markettina/sdk/testing';
import { notesPlugin } from '../../kernel/test/fixtures/notes/plugin.js';
import { startBareServer } from './bare.js';

/** One server under test: the URL of its notes page and the bearer token it expects. */
export interface Target {
  url: string;
  token: string;
}

/** Both servers share one database, one tenant and the same 50 notes; each has a pool of this size. */
export const POOL_SIZE = Number(process.env.BENCH_POOL ?? 10);

/**
 * Starts the kernel (with the notes fixture plugin) and the bare baseline on one freshly
 * cloned database holding one tenant with 50 notes.
 */
export async function startTargets(): Promise<{ kernel: Target; bare: Target; close(): Promise<void> }> {
  // A cluster of our own, stopped explicitly: the test kit's lazily started one is only
  // stopped on 'beforeExit', which a running postgres child process never lets happen.
  const cluster = await startTestCluster();
  process.env[CLUSTER_ENV] = JSON.stringify(cluster.info);
  const kit = await startTestKernel({
    plugins: [notesPlugin],
    config: { server: { host: '127.0.0.1', port: 0 }, database: { pool: { min: 2, max: POOL_SIZE } } },
  });
  try {
    const tenant = await kit.createTenant();
    const caller = tenant.as(['notes.notes:read', 'notes.notes:write']);
    for (let i = 0; i < 50; i++) {
      const res = await caller.inject({ method: 'POST', url: '/v1/notes/notes', payload: { title: `note ${i}`, body: 'x'.repeat(200) } });
      if (res.statusCode !== 201) throw new Error(`seeding failed: ${res.statusCode} ${res.body}`);
    }
    const kernelUrl = `${await kit.kernel.listen()}/v1/notes/notes`;
    const bare = await startBareServer(kit.database.appUrl, tenant.accountId, POOL_SIZE);
    return {
      kernel: { url: kernelUrl, token: caller.token },
      bare: { url: bare.url, token: '' },
      async close() {
        await bare.close();
        await kit.close();
        await cluster.stop();
      },
    };
  } catch (err) {
    await kit.close();
    await cluster.stop();
    throw err;
  }
}
