/**
 * bench/publish: 10,000 publications due at the same instant across 100 connected accounts
 * of a fake platform with a declared per-account rate limit, published by the kernel's own
 * publish job on 1 and on 2 nodes. Measures the time from the due instant until all are
 * published, and checks that none went out twice, none was lost and no account received
 * more than its budget allows. Baselines in the same run: the bound the declared limit
 * itself sets, and a loop publishing the same drafts straight to the fake through the same
 * connector and in-memory pacing, without any database.
 *
 *   npm run bench:publish -w @markettina/bench
 *   (BENCH_POSTS=10000 BENCH_ACCOUNTS=100 BENCH_TENANTS=1 BENCH_RATE=10 BENCH_WINDOW_SECONDS=1
 *    BENCH_BURST=5 BENCH_NODES=1,2 BENCH_ROUNDS=1 BENCH_ORDER=interleaved BENCH_CONCURRENCY=16
 *    BENCH_BATCH=32 BENCH_POOL=10 BENCH_TOLERANCE_MS=100; each run gives up BENCH_RUN_TIMEOUT_MS=600000 after its due
 *    instant, the whole bench after BENCH_TOTAL_TIMEOUT_MS=2400000; BENCH_CPU_PROFILE=<folder> writes
 *    a CPU profile of each pipeline run there)
 */
import os from 'node:os';
import { socialPlugin } from '@markettina/plugin-social';
import { scriptedConnector, scriptedConnectorPlugin, socialTestConfig, startScriptedPlatform } from '@markettina/plugin-social/testing';
import { CLUSTER_ENV, startTestCluster, startTestKernel, type TestKernel } from '@markettina/sdk/testing';
import { runBare } from './bare.js';
import { checkPlatform, type PlatformCheck } from './checks.js';
import { nodeCpuMs, postmasterOf, serverCpuMs } from './cpu.js';
import { connectAccounts, drafts, schedule, type BenchAccount } from './fleet.js';
import { idealMs, type DeclaredLimit } from './limits.js';
import { Observer, WaitSampler } from './observe.js';
import { runPipeline } from './pipeline.js';
import { profiled } from './profile.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const posts = num('BENCH_POSTS', 10_000);
const accountCount = num('BENCH_ACCOUNTS', 100);
const tenants = num('BENCH_TENANTS', 1);
const limit: DeclaredLimit = { limit: num('BENCH_RATE', 10), windowSeconds: num('BENCH_WINDOW_SECONDS', 1), burst: num('BENCH_BURST', 5) };
const nodeCounts = (process.env.BENCH_NODES ?? '1,2').split(',').map(Number);
const rounds = num('BENCH_ROUNDS', 1);
const order = process.env.BENCH_ORDER === 'grouped' ? 'grouped' : 'interleaved';
const concurrency = num('BENCH_CONCURRENCY', 16);
const batchSize = num('BENCH_BATCH', 32);
const pool = num('BENCH_POOL', 10);
const runTimeoutMs = num('BENCH_RUN_TIMEOUT_MS', 600_000);
const totalTimeoutMs = num('BENCH_TOTAL_TIMEOUT_MS', 2_400_000);
const toleranceMs = num('BENCH_TOLERANCE_MS', 100);
const warmUpPosts = Math.min(num('BENCH_WARMUP_POSTS', 1_000), posts);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

interface Row {
  name: string;
  seconds: number;
  firstSeconds: number;
  published: number;
  lost: number;
  check: PlatformCheck;
  /** Claims per publication (pipeline only): 1 means no row was claimed more than once. */
  claimsPerPost?: number;
  /** Calls of the claim function and their mean time, ms (pipeline only). */
  claimCalls?: number;
  claimMs?: number;
  unpublished: string[];
  completed: boolean;
  /** CPU per publication, ms: this process (kernel, fake and all) and the PostgreSQL server. */
  nodeCpuMs: number;
  pgCpuMs: number;
  /** The machine's 1-minute load average when the run ended. */
  load: number;
  /** Database sessions by state during the run (pipeline only). */
  waits?: [string, number][];
}

const cluster = await startTestCluster();
process.env[CLUSTER_ENV] = JSON.stringify(cluster.info);
// A run that cannot finish must not hang: report and leave, stopping the cluster on the way.
const watchdog = setTimeout(() => {
  console.error(`bench/publish: gave up after ${totalTimeoutMs / 1000} s (BENCH_TOTAL_TIMEOUT_MS)`);
  void Promise.race([cluster.stop(), sleep(10_000)]).finally(() => process.exit(1));
}, totalTimeoutMs);
watchdog.unref();

const platform = await startScriptedPlatform({ rateLimit: limit, rateToleranceMs: toleranceMs });
let kit: TestKernel | undefined;
let observer: Observer | undefined;
let sampler: WaitSampler | undefined;
const rows: Row[] = [];
let pgVersion = '';
let failure: string | undefined;
try {
  kit = await startTestKernel({
    plugins: [
      { definition: socialPlugin, config: socialTestConfig({ publishing: { concurrency, batchSize }, timeouts: { connectMs: 5_000, responseMs: 20_000 } }) },
      scriptedConnectorPlugin({ origin: platform.origin, rateLimit: limit }),
    ],
    config: { database: { pool: { min: 2, max: pool } } },
  });
  observer = await Observer.open(cluster.info.superuserUrl, kit.database.ownerUrl);
  sampler = await WaitSampler.open(cluster.info.superuserUrl, kit.database.ownerUrl);
  pgVersion = (await observer.query<{ v: string }>("select current_setting('server_version') as v"))[0]!.v;
  log(`connecting ${accountCount} accounts over ${tenants} tenant(s)`);
  const accounts = await connectAccounts(kit, platform, accountCount, tenants);
  const connector = scriptedConnector({ origin: platform.origin, rateLimit: limit });
  await observer.trackFunctions();
  const postmaster = postmasterOf((await observer.query<{ pid: number }>('select pg_backend_pid() as pid'))[0]!.pid);
  const cpu = () => ({ node: nodeCpuMs(), pg: (postmaster && serverCpuMs(postmaster)) ?? Number.NaN });
  const k = kit;
  const obs = observer;
  const waits = sampler;

  const delivered = async () => {
    for (let i = 0; i < 600 && (await obs.undelivered()) > 0; i++) await sleep(250);
  };
  /** Waits for the last event deliveries, then long enough for every backend to report its statistics. */
  const settle = async () => {
    await delivered();
    await sleep(11_000);
  };

  const pipeline = async (name: string, list: BenchAccount[], count: number, nodes: number, record: boolean) => {
    const label = `${name}-${rows.length}-${Date.now()}`;
    const all = drafts(list, count, order, label);
    const t0 = Date.now();
    // Scheduled far ahead first (nothing publishes them yet), then moved to one due instant.
    const ids = await schedule(k, all, { dueAt: new Date(Date.now() + 3_600_000), batch: 500, parallel: 4, sourceId: label });
    log(`${name}: scheduled ${count} in ${((Date.now() - t0) / 1000).toFixed(1)} s through the publisher`);
    await settle();
    const updatesBefore = await obs.updates();
    const callsBefore = await obs.claimCalls();
    const overLimitBefore = platform.overLimit;
    const run = await profiled(process.env.BENCH_CPU_PROFILE, name, () => runPipeline(k, obs, ids, label, { nodes, timeoutMs: runTimeoutMs, leadMs: 3_000, label: name, sampler: waits, cpu }));
    // The run's cost includes delivering PostPublished to the subscriber.
    await delivered();
    const used = cpu();
    await settle();
    const claims = ((await obs.updates()) - updatesBefore - count) / 2;
    const callsAfter = await obs.claimCalls();
    const claimCalls = callsAfter.calls - callsBefore.calls;
    const claimMs = (callsAfter.ms - callsBefore.ms) / Math.max(1, claimCalls);
    const check = checkPlatform(platform, ids, limit, overLimitBefore, toleranceMs);
    log(`${name}: ${run.published}/${count} published in ${(run.elapsedMs / 1000).toFixed(2)} s after due; ${claims} rows claimed in ${claimCalls} claims of ${claimMs.toFixed(1)} ms on average`);
    if (record) rows.push({ name, seconds: run.elapsedMs / 1000, firstSeconds: run.firstMs / 1000, published: run.published, lost: count - run.published, check, claimsPerPost: claims / count, claimCalls, claimMs, unpublished: run.unpublished, completed: run.completed, waits: run.waits, nodeCpuMs: (used.node - run.cpuAtDue.node) / count, pgCpuMs: (used.pg - run.cpuAtDue.pg) / count, load: os.loadavg()[0]! });
    if (!run.completed) throw new Error(`${name}: only ${run.published} of ${count} publications were published ${runTimeoutMs / 1000} s after their due instant (${run.unpublished.join(', ') || 'the rest still in progress'})`);
  };

  const bare = async (name: string, list: BenchAccount[], count: number, record: boolean) => {
    const overLimitBefore = platform.overLimit;
    const before = cpu();
    const run = await runBare(platform, connector, drafts(list, count, order, name), runTimeoutMs);
    const used = cpu();
    const check = checkPlatform(platform, run.refs, limit, overLimitBefore, toleranceMs);
    log(`${name}: ${check.created}/${count} in ${(run.elapsedMs / 1000).toFixed(2)} s; ${run.refusals} held back by the budget`);
    if (record) rows.push({ name, seconds: run.elapsedMs / 1000, firstSeconds: (check.firstCreatedAt - run.startedAt) / 1000, published: check.created - check.duplicates, lost: count - (check.created - check.duplicates), check, unpublished: [], completed: run.completed, nodeCpuMs: (used.node - before.node) / count, pgCpuMs: (used.pg - before.pg) / count, load: os.loadavg()[0]! });
    if (!run.completed) throw new Error(`${name}: the baseline did not finish within ${runTimeoutMs / 1000} s`);
    await sleep(2_000);
  };

  log(`warming up with ${warmUpPosts} posts`);
  await bare('warm-up bare', accounts, warmUpPosts, false);
  await pipeline('warm-up pipeline', accounts, warmUpPosts, 1, false);
  // Baseline and pipeline take turns, round after round, so load from elsewhere hits all.
  for (let round = 0; round < rounds; round++) {
    await bare('bare loop, no database (baseline)', accounts, posts, true);
    for (const nodes of nodeCounts) await pipeline(`pipeline, ${nodes} node${nodes > 1 ? 's' : ''}`, accounts, posts, nodes, true);
  }
} catch (err) {
  failure = (err as Error).stack ?? String(err);
} finally {
  await observer?.close().catch(() => undefined);
  await sampler?.close().catch(() => undefined);
  await kit?.close().catch(() => undefined);
  await platform.close();
  await cluster.stop();
  clearTimeout(watchdog);
}

const perAccount = Array.from({ length: accountCount }, (_, i) => Math.floor(posts / accountCount) + (i < posts % accountCount ? 1 : 0));
const ideal = idealMs(perAccount, limit) / 1000;
const best = (name: string) => rows.filter((r) => r.name === name).sort((a, b) => a.seconds - b.seconds)[0];
const bareBest = best('bare loop, no database (baseline)');
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const names = [...new Set(rows.map((r) => r.name))];

console.log(
  `\nbench/publish — node ${process.version}, PostgreSQL ${pgVersion}, ${os.cpus().length} cores (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}), ` +
    `${posts} posts due at one instant over ${accountCount} accounts of ${tenants} tenant(s), ${order}; declared limit ${limit.limit} per ${limit.windowSeconds} s per account, burst ${limit.burst}; ` +
    `publishing.concurrency ${concurrency}, batchSize ${batchSize}, pool ${pool}; best of ${rounds} round(s)\n`,
);
console.log(`ideal (declared limit): ${fmt(ideal)} s for ${Math.max(...perAccount)} posts per account (${limit.burst} at once, then one every ${fmt((limit.windowSeconds * 1000) / limit.limit, 0)} ms)\n`);
console.log(`| run | seconds (due → all published) | posts/s | first after due s | vs ideal | vs bare | CPU ms per post: node, PostgreSQL | load avg | claims per post | claim calls (mean ms) | duplicates | lost | max per account per ${limit.windowSeconds} s (allowed ${rows[0]?.check.allowedPerWindow ?? '–'}, ${rows[0]?.check.allowedWithJitter ?? '–'} with ${toleranceMs} ms jitter) | arrivals > ${toleranceMs} ms early (worst ms early) | fake 429s |`);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const name of names) {
  const r = best(name)!;
  console.log(
    `| ${name} | ${fmt(r.seconds)} | ${fmt(r.published / r.seconds, 0)} | ${fmt(r.firstSeconds)} | ${fmt(r.seconds / ideal)} | ${bareBest ? fmt(r.seconds / bareBest.seconds) : '–'} | ${fmt(r.nodeCpuMs)}, ${fmt(r.pgCpuMs)} | ${fmt(r.load, 1)} | ${r.claimsPerPost === undefined ? '–' : fmt(r.claimsPerPost)} | ${r.claimCalls === undefined ? '–' : `${r.claimCalls} (${fmt(r.claimMs ?? Number.NaN, 1)})`} | ` +
      `${r.check.duplicates} | ${r.lost} | ${r.check.maxPerWindow} | ${r.check.early} (${fmt(r.check.worstEarlyMs, 0)}) | ${r.check.overLimit} |`,
  );
}
console.log('\nDatabase sessions of the kernel during each pipeline run (average number in each state, from pg_stat_activity every 100 ms):\n');
for (const name of names) {
  const r = best(name)!;
  if (r.waits) console.log(`- ${name}: ${r.waits.map(([what, n]) => `${what} ${n.toFixed(1)}`).join(', ')}`);
}
const broken = rows.flatMap((r) => [
  ...(r.check.duplicates ? [`${r.name}: ${r.check.duplicates} duplicate posts`] : []),
  ...(r.lost ? [`${r.name}: ${r.lost} publications not published (${r.unpublished.join(', ')})`] : []),
  ...(r.check.maxPerWindow > r.check.allowedWithJitter ? [`${r.name}: an account received ${r.check.maxPerWindow} posts in one window, more than the ${r.check.allowedWithJitter} its budget allows even with ${toleranceMs} ms of arrival jitter`] : []),
  ...(r.check.early ? [`${r.name}: ${r.check.early} posts arrived more than ${toleranceMs} ms earlier than the budget allows`] : []),
  ...(r.check.overLimit ? [`${r.name}: the fake refused ${r.check.overLimit} publish requests as over its limit`] : []),
]);
if (failure) console.error(`\nbench/publish failed: ${failure}`);
for (const b of broken) console.error(`check failed: ${b}`);
process.exit(failure || broken.length ? 1 : 0);
