/**
 * bench/http: a tenant-scoped list route through the whole kernel pipeline (auth, tenant
 * check, RLS transaction, schema serialisation, metrics) against a bare fastify + pg
 * route doing the same database work, in the same run, on the same database.
 *
 *   npm run bench:http -w @markettina/bench      (BENCH_SECONDS=10 BENCH_CONNECTIONS=32 BENCH_POOL=10)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { POOL_SIZE, startTargets, type Target } from './targets.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const loadScript = fileURLToPath(new URL('./load.ts', import.meta.url));

interface Load { rps: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number; total: number }

function load({ url, token }: Target, duration = seconds): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', loadScript, url, token, String(duration), String(connections)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), (duration + 30) * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`load generator exited with ${code}`));
    });
  });
}

const targets = await startTargets();
try {
  // Warm both paths so JIT and pools are in the same state before measuring.
  await load(targets.bare, 3);
  await load(targets.kernel, 3);
  const base = await load(targets.bare);
  const full = await load(targets.kernel);

  const row = (name: string, r: Load) => `| ${name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx + r.errors + r.timeouts} |`;
  console.log(`\nbench/http — ${seconds}s per target, ${connections} connections, pool ${POOL_SIZE} each, loopback, 50-row page\n`);
  console.log('| target | req/s | p50 ms | p99 ms | errors |');
  console.log('|---|---|---|---|---|');
  console.log(row('bare fastify + pg (baseline)', base));
  console.log(row('markettina kernel pipeline', full));
  console.log(`\nthroughput ratio kernel/baseline: ${(full.rps / base.rps).toFixed(2)}   p99 ratio kernel/baseline: ${(full.p99 / Math.max(base.p99, 1)).toFixed(2)}`);
  if (full.non2xx + full.errors + base.non2xx + base.errors > 0) {
    console.error('some requests failed; the figures above are not comparable');
    process.exitCode = 1;
  }
} finally {
  await targets.close();
}
