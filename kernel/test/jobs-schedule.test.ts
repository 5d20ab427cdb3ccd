import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createLogger } from '@markettina/kernel';
import { startTestKernel, type TestKernel, type TestTenant } from '@markettina/sdk/testing';
import { JobsRuntime } from '../src/jobs/index.js';
import { visitsPlugin, type VisitProbe } from './fixtures/jobs/visits.js';
import { waitFor, within } from './fixtures/jobs/wait.js';

const NODE_SCRIPT = fileURLToPath(new URL('./fixtures/jobs/node.ts', import.meta.url));
const EVERY_MS = 250;

interface NodeProcess {
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** A kernel node in its own OS process, running the ticker plugin's schedules. */
function startNode(name: string, kit: TestKernel): NodeProcess {
  const child: ChildProcess = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', NODE_SCRIPT], {
    env: { ...process.env, APP_URL: kit.database.appUrl, OWNER_URL: kit.database.ownerUrl, NODE_NAME: name, EVERY_MS: String(EVERY_MS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`node ${name} exited (${code}) before it was ready`)));
  });
  return {
    ready: within(ready, 30_000, `node ${name} to boot`),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await within(exited, 10_000, `node ${name} to stop`).catch(() => child.kill('SIGKILL'));
    },
  };
}

describe('scheduled jobs on two nodes', () => {
  let kit: TestKernel;
  let owner: pg.Client;
  let since: Date;
  const nodes: NodeProcess[] = [];

  before(async () => {
    // This process only holds the database; the two spawned nodes run the schedules.
    kit = await startTestKernel({ plugins: [], config: { jobs: { scheduler: false, worker: false } } });
    owner = new pg.Client({ connectionString: kit.database.ownerUrl });
    await owner.connect();
    await owner.query('create table tick_log (node text not null, job text not null, slot timestamptz not null)');
    nodes.push(startNode('a', kit), startNode('b', kit));
    await Promise.all(nodes.map((n) => n.ready));
    since = new Date(Date.now() + EVERY_MS);
    await waitFor(
      'both nodes to run four node-scoped ticks',
      async () => {
        const { rows } = await owner.query("select node, count(*)::int as n from tick_log where job = 'node-tick' and slot > $1 group by node", [since]);
        return rows.length === 2 && rows.every((r: { n: number }) => r.n >= 4);
      },
      20_000,
      50,
    );
    await Promise.all(nodes.map((n) => n.stop()));
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await owner?.end();
    await kit?.close();
  });

  test('a cluster job runs once per tick across both nodes', async () => {
    const { rows } = await owner.query<{ slot: Date; runs: number }>(
      "select slot, count(*)::int as runs from tick_log where job = 'cluster-tick' group by slot order by slot",
    );
    assert.ok(rows.filter((r) => r.slot > since).length >= 3, `expected several cluster ticks, got ${rows.length}`);
    assert.deepEqual(rows.filter((r) => r.runs !== 1), [], 'some tick ran on more than one node');
  });

  test('a node job runs on every node, once per tick on each', async () => {
    const { rows } = await owner.query<{ node: string; ticks: number; slots: number }>(
      "select node, count(*)::int as ticks, count(distinct slot)::int as slots from tick_log where job = 'node-tick' group by node order by node",
    );
    assert.deepEqual(rows.map((r) => r.node), ['a', 'b']);
    for (const r of rows) assert.equal(r.ticks, r.slots, `node ${r.node} ran a tick twice`);
  });
});

describe('per-tenant and kernel schedules', () => {
  let kit: TestKernel;
  const probe: VisitProbe = { seen: [], failFor: new Set(), cronSlots: [] };
  let enabled: TestTenant;
  let notEnabled: TestTenant;
  let failing: TestTenant;

  before(async () => {
    kit = await startTestKernel({ plugins: [visitsPlugin(probe)], config: { jobs: { worker: false } } });
    enabled = await kit.createTenant({ name: 'enabled' });
    notEnabled = await kit.createTenant({ name: 'not enabled', enable: [] });
    failing = await kit.createTenant({ name: 'failing' });
    probe.failFor.add(failing.accountId);
  });
  after(() => kit?.close());

  const visitsOf = (accountId: string) => probe.seen.filter((v) => v.tenant === accountId).length;
  const storedVisits = (accountId: string) =>
    kit.kernel.tenancy.withTenant(accountId, async (trx) => Number((await trx('visits').count({ n: '*' }))[0]!.n));

  test('a perTenant job visits only tenants that enabled the plugin, each in its own tenant transaction', async () => {
    await waitFor('two visits of each enabled tenant', () => visitsOf(enabled.accountId) >= 2 && visitsOf(failing.accountId) >= 2);
    assert.equal(visitsOf(notEnabled.accountId), 0);
    for (const v of probe.seen) assert.equal(v.bound, v.tenant, 'the transaction was bound to another tenant');
    assert.ok((await storedVisits(enabled.accountId)) >= 2);
  });

  test('a tenant whose visit fails has its work rolled back and does not stop the others', async () => {
    await waitFor('a failing visit', () => visitsOf(failing.accountId) >= 1);
    const before = visitsOf(enabled.accountId);
    await waitFor('the next visit of the healthy tenant', () => visitsOf(enabled.accountId) > before);
    assert.equal(await storedVisits(failing.accountId), 0);
  });

  test('a six-field cron schedule fires on whole seconds', async () => {
    await waitFor('two cron ticks', () => probe.cronSlots.length >= 2, 5_000);
    const slots = probe.cronSlots.map((s) => s.getTime());
    for (const s of slots) assert.equal(s % 1000, 0);
    assert.equal(new Set(slots).size, slots.length);
  });

  test('kernel schedules added before start visit every active tenant, plugin or not', async () => {
    const seen = new Set<string>();
    const { knex, tenancy } = kit.kernel;
    const runtime = new JobsRuntime({
      knex,
      tenancy,
      logger: createLogger({ level: 'silent' }),
      plugins: [],
      config: { scheduler: true, worker: false, pollIntervalMs: 50, concurrency: 1, leaseMs: 60_000 },
    });
    runtime.addKernelJob({
      id: 'sweep',
      schedule: { every: 100 },
      scope: 'cluster',
      perTenant: true,
      handler: async (ctx) => void seen.add(ctx.tenant.accountId),
    });
    assert.deepEqual(runtime.scheduleKeys, ['kernel/sweep']);
    await runtime.start(kit.kernel.host);
    try {
      assert.throws(() => runtime.addKernelJob({ id: 'late', schedule: { every: 100 }, scope: 'node', handler: async () => undefined }), /after the jobs service started/);
      await waitFor('every tenant to be visited', () => [enabled, notEnabled, failing].every((t) => seen.has(t.accountId)));
    } finally {
      await runtime.stop();
    }
  });
});
