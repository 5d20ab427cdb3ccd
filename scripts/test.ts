/**
 * Test entry: starts one embedded PostgreSQL cluster for the whole run, hands it to every
 * test process through the environment, runs node:test over all packages, stops the cluster.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_ENV, startTestCluster } from '@markettina/sdk/testing';

const roots = ['kernel/test', 'sdk/test', ...readdirSync('plugins').map((p) => join('plugins', p, 'test')), 'e2e'];

function findTests(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const path = join(dir, e);
    if (statSync(path).isDirectory()) return e === 'fixtures' ? [] : findTests(path);
    return e.endsWith('.test.ts') ? [path] : [];
  });
}

const filter = process.argv.slice(2);
const files = roots.flatMap(findTests).filter((f) => filter.length === 0 || filter.some((x) => f.includes(x))).sort();
const cluster = await startTestCluster();
const stop = async () => cluster.stop().catch(() => undefined);
process.once('SIGINT', () => void stop().then(() => process.exit(130)));
process.once('SIGTERM', () => void stop().then(() => process.exit(143)));

const child = spawn(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, [CLUSTER_ENV]: JSON.stringify(cluster.info) } },
);
const code: number = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await stop();
process.exit(code);
