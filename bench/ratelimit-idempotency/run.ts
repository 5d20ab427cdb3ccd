/**
 * bench/ratelimit-idempotency: what rate limiting and idempotency keys cost on a write
 * route. A kernel with the PostgreSQL rate-limit store and a single-node kernel with the
 * memory store serve four routes with the same effect, one inserted row, differing only
 * in policy. autocannon measures each scenario from a second process over loopback; the
 * scenarios run round-robin for several rounds in the same run and each is reported by
 * its median round, as a ratio to the route without policy on the same kernel.
 *
 *   npm run bench:ratelimit-idempotency -w @markettina/bench
 *   (BENCH_SECONDS=3 per scenario and round, BENCH_ROUNDS=5, BENCH_CONNECTIONS=32)
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CLUSTER_ENV, startTestCluster, startTestKernel, testAuthPlugin, TestTokens, type TestKernel } from '@markettina/sdk/testing';
import { benchPlugin } from './plugin.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const loadScript = fileURLToPath(new URL('./load.ts', import.meta.url));

interface Load { rps: number; p50: number; p99: number; status2xx: number; non2xx: number; errors: number; timeouts: number }

function load(url: string, token: string, keys: string): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', loadScript, url, token, String(seconds), String(connections), keys], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`load generator exited with ${code}`));
    });
  });
}

/** A budget no scenario can spend, so every request pays for metering and none is refused. */
const unlimited = { limit: 1_000_000_000, windowSeconds: 60 };
const config = (store: 'postgres' | 'memory') => ({
  database: { pool: { min: 2, max: 10 } },
  rateLimits: { store, classes: { bench: { free: unlimited, starter: unlimited, pro: unlimited, enterprise: unlimited } } },
});

async function serve(kit: TestKernel, tokens: TestTokens) {
  const { accountId } = await kit.createTenant();
  const token = tokens.issue({ id: randomUUID(), type: 'user', accountId, permissions: ['*'] });
  return { base: `${await kit.kernel.listen()}/v1/bench`, token };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// A cluster of our own, stopped at the end: a running postgres child would keep this process alive.
const cluster = await startTestCluster();
process.env[CLUSTER_ENV] = JSON.stringify(cluster.info);
const tokens = new TestTokens();
const shared = await startTestKernel({ plugins: [benchPlugin, testAuthPlugin(tokens)], config: config('postgres') });
const single = await startTestKernel({ plugins: [benchPlugin, testAuthPlugin(tokens)], config: config('memory') });
try {
  const pgNode = await serve(shared, tokens);
  const memNode = await serve(single, tokens);
  // The replay scenario repeats a request that has completed, so every request is a replay.
  const replayKey = `"${randomUUID()}"`;
  const first = await fetch(`${pgNode.base}/idempotent`, {
    method: 'POST',
    headers: { authorization: `Bearer ${pgNode.token}`, 'content-type': 'application/json', 'idempotency-key': replayKey },
    body: JSON.stringify({ title: 'bench item' }),
  });
  if (first.status !== 201) throw new Error(`the replayed request failed: ${first.status} ${await first.text()}`);

  const scenarios = [
    { name: 'no policy (baseline)', node: pgNode, path: '/plain', keys: 'none', baseline: 'pg' },
    { name: 'rate limit, PostgreSQL store', node: pgNode, path: '/limited', keys: 'none', baseline: 'pg' },
    { name: 'Idempotency-Key, new key per request', node: pgNode, path: '/idempotent', keys: 'fresh', baseline: 'pg' },
    { name: 'rate limit (PostgreSQL) + Idempotency-Key', node: pgNode, path: '/both', keys: 'fresh', baseline: 'pg' },
    { name: 'Idempotency-Key replay of a completed request', node: pgNode, path: '/idempotent', keys: replayKey, baseline: 'pg' },
    { name: 'no policy, single-node kernel (baseline)', node: memNode, path: '/plain', keys: 'none', baseline: 'mem' },
    { name: 'rate limit, memory store', node: memNode, path: '/limited', keys: 'none', baseline: 'mem' },
  ] as const;
  // Warm both kernels so JIT and pools are in the same state before measuring.
  await load(`${pgNode.base}/plain`, pgNode.token, 'none');
  await load(`${memNode.base}/plain`, memNode.token, 'none');
  const runs = scenarios.map(() => [] as Load[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, s] of scenarios.entries()) runs[i]!.push(await load(`${s.node.base}${s.path}`, s.node.token, s.keys));
  }

  const summary = scenarios.map((s, i) => ({
    ...s,
    rps: median(runs[i]!.map((r) => r.rps)),
    p50: median(runs[i]!.map((r) => r.p50)),
    p99: median(runs[i]!.map((r) => r.p99)),
    failed: runs[i]!.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
  }));
  const baseOf = (b: 'pg' | 'mem') => summary.find((s) => s.baseline === b && s.path === '/plain')!;
  console.log(`\nbench/ratelimit-idempotency — POST inserting one row; median of ${rounds} rounds of ${seconds}s per scenario; ${connections} connections; loopback; one tenant\n`);
  console.log('| scenario | req/s | p50 ms | p99 ms | throughput vs baseline | p99 vs baseline | failed |');
  console.log('|---|---|---|---|---|---|---|');
  for (const s of summary) {
    const base = baseOf(s.baseline);
    console.log(`| ${s.name} | ${s.rps.toFixed(0)} | ${s.p50} | ${s.p99} | ${(s.rps / base.rps).toFixed(2)} | ${(s.p99 / Math.max(base.p99, 1)).toFixed(2)} | ${s.failed} |`);
  }
  if (summary.some((s) => s.failed > 0)) {
    console.error('some requests failed; the figures above are not comparable');
    process.exitCode = 1;
  }
} finally {
  // Let requests the load generator abandoned at its deadline finish before the pools close.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await single.close();
  await shared.close();
  await cluster.stop();
}
