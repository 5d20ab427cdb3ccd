import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { coreServices, definePlugin, type EnqueueRequest, type Jobs, type JobStatus } from '@markettina/sdk';
import { createKernel, createLogger } from '@markettina/kernel';
import { startTestKernel, type TestKernel, type TestTenant } from '@markettina/sdk/testing';
import { claimJobs } from '../src/jobs/claim.js';
import { executeClaim } from '../src/jobs/execute.js';
import { taskTable } from '../src/jobs/registry.js';
import { JobsRuntime } from '../src/jobs/index.js';
import { reportsPlugin, type ReportsProbe } from './fixtures/jobs/reports.js';
import { waitFor, within } from './fixtures/jobs/wait.js';

describe('durable jobs', () => {
  let kit: TestKernel;
  let jobs: Jobs;
  let a: TestTenant;
  let b: TestTenant;
  const probe: ReportsProbe = { runs: [], gate: Promise.resolve() };

  before(async () => {
    // The worker loop is off: each test works the queue off with runDue() and sees every step.
    kit = await startTestKernel({ plugins: [reportsPlugin(probe)], config: { jobs: { worker: false, scheduler: false } } });
    jobs = kit.kernel.host.contextFor('reports').get(coreServices.jobs);
    a = await kit.createTenant({ name: 'A' });
    b = await kit.createTenant({ name: 'B' });
  });
  after(() => kit?.close());
  beforeEach(() => {
    probe.runs.length = 0;
  });

  const enqueue = (tenant: TestTenant, req: EnqueueRequest) => kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => jobs.enqueue(trx, req));
  const runDue = () => within(kit.kernel.jobs.worker.runDue(), 10_000, 'due jobs to run');
  const status = async (tenant: TestTenant, id: string): Promise<JobStatus> => {
    const res = await tenant.as().inject({ method: 'GET', url: `/v1/jobs/${id}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const outputs = (tenant: TestTenant, jobId: string) =>
    kit.kernel.tenancy.withTenant(tenant.accountId, (trx) => trx('report_outputs').where({ job_id: jobId }).select('attempt'));

  test('a job enqueued in a rolled-back transaction never runs', async () => {
    await assert.rejects(
      kit.kernel.tenancy.withTenant(a.accountId, async (trx) => {
        await jobs.enqueue(trx, { type: 'reports.record', payload: { tag: 'rolled back' } });
        throw new Error('the caller fails after enqueueing');
      }),
      /the caller fails/,
    );
    const committed = await enqueue(a, { type: 'reports.record', payload: { tag: 'committed' } });
    assert.equal(await runDue(), 1);
    assert.deepEqual(probe.runs.map((r) => r.tag), ['committed']);
    assert.equal((await status(a, committed.id)).state, 'succeeded');
  });

  test('a successful run commits its work together with its result', async () => {
    const { id } = await enqueue(a, { type: 'reports.record', payload: { tag: 'x' } });
    assert.equal((await status(a, id)).state, 'queued');
    await runDue();
    const done = await status(a, id);
    assert.equal(done.state, 'succeeded');
    assert.equal(done.progress, 100);
    assert.equal(done.attempts, 1);
    assert.deepEqual(done.result, { tag: 'x' });
    assert.ok(done.finishedAt);
    assert.deepEqual(await outputs(a, id), [{ attempt: 1 }]);
  });

  test('a job waits for its runAt', async () => {
    const { id } = await enqueue(a, { type: 'reports.record', runAt: new Date(Date.now() + 60_000) });
    assert.equal(await runDue(), 0);
    assert.equal((await status(a, id)).state, 'queued');
  });

  test('progress reported by the handler is readable at GET /v1/jobs/{id} while it runs', async () => {
    let release!: () => void;
    probe.gate = new Promise((resolve) => (release = resolve));
    const caller = a.as();
    const created = await caller.inject({ method: 'POST', url: '/v1/reports/reports' });
    assert.equal(created.statusCode, 202, created.body);
    const { jobId } = created.json() as { jobId: string };
    const running = runDue();
    try {
      const seen = await waitFor('progress 40 while running', async () => {
        const s = await status(a, jobId);
        return s.state === 'running' && s.progress === 40 ? s : undefined;
      });
      assert.equal(seen.attempts, 1);
    } finally {
      release();
    }
    await running;
    const done = await status(a, jobId);
    assert.equal(done.state, 'succeeded');
    assert.equal(done.progress, 100);
    assert.deepEqual(done.result, { rows: 3 });
  });

  test("another tenant's job answers 404 problem+json", async () => {
    const { id } = await enqueue(a, { type: 'reports.record' });
    for (const url of [`/v1/jobs/${id}`, `/v1/jobs/${randomUUID()}`]) {
      const res = await b.as().inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal(res.json().code, 'NOT_FOUND');
    }
    const malformed = await b.as().inject({ method: 'GET', url: '/v1/jobs/not-a-uuid' });
    assert.equal(malformed.statusCode, 400);
    assert.equal((await kit.inject({ method: 'GET', url: `/v1/jobs/${id}` })).statusCode, 401);
    assert.equal((await status(a, id)).id, id);
  });

  test('a failed attempt rolls back its work and is retried after a backoff; the last one leaves the job dead', async () => {
    const { id } = await enqueue(a, { type: 'reports.flaky', maxAttempts: 2 });
    await runDue();
    const failed = await status(a, id);
    assert.equal(failed.state, 'queued');
    assert.equal(failed.attempts, 1);
    assert.equal(failed.lastError, 'boom on attempt 1');
    // baseDelayMs 1000 with at most 20% jitter off.
    assert.ok(Date.parse(failed.runAt) - Date.parse(failed.updatedAt) >= 800, `retry scheduled too soon: ${failed.runAt}`);
    assert.equal(await runDue(), 0, 'the retry ran before its backoff elapsed');

    await waitFor('the retry to become due and run', async () => (await runDue()) > 0);
    const dead = await status(a, id);
    assert.equal(dead.state, 'dead');
    assert.equal(dead.attempts, 2);
    assert.equal(dead.lastError, 'boom on attempt 2');
    assert.ok(dead.finishedAt);
    assert.deepEqual(await outputs(a, id), [], 'a failed attempt left its writes behind');
    assert.equal(await runDue(), 0, 'a dead job ran again');
  });

  test('a job whose worker stopped is taken over once its lease expires, and the stale worker is fenced off', async () => {
    const { id } = await enqueue(a, { type: 'reports.record' });
    // A worker claims it with a 1 ms lease and never finishes (as if its node died).
    const [stale] = await claimJobs(kit.kernel.knex, ['reports.record'], 1, 1);
    assert.equal(stale?.id, id);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(await runDue(), 1);
    const done = await status(a, id);
    assert.equal(done.state, 'succeeded');
    assert.equal(done.attempts, 2);
    assert.deepEqual(probe.runs.map((r) => r.attempt), [2]);

    const deps = { knex: kit.kernel.knex, host: kit.kernel.host, tasks: taskTable(kit.kernel.host.plugins), logger: createLogger({ level: 'silent' }), leaseMs: 60_000 };
    assert.equal(await executeClaim(deps, stale!), 'fenced');
    assert.equal(probe.runs.length, 1, 'the stale worker ran the handler');
  });

  test('a job whose last attempt was lost is dead', async () => {
    const { id } = await enqueue(a, { type: 'reports.record', maxAttempts: 1 });
    await claimJobs(kit.kernel.knex, ['reports.record'], 1, 1);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(await runDue(), 0);
    const dead = await status(a, id);
    assert.equal(dead.state, 'dead');
    assert.match(dead.lastError ?? '', /lease expired/);
  });

  test('enqueue checks the type and the limits, and needs a tenant transaction', async () => {
    await assert.rejects(enqueue(a, { type: 'reports.unknown' }), /no installed plugin handles job type "reports.unknown"/);
    await assert.rejects(enqueue(a, { type: 'reports.record', maxAttempts: 0 }), /maxAttempts must be a whole number from 1 to 100/);
    await assert.rejects(
      kit.kernel.knex.transaction((trx) => jobs.enqueue(trx, { type: 'reports.record' })),
      /needs a tenant transaction/,
    );
  });

  test('the worker loop claims jobs as they come and backs off exponentially between attempts', async () => {
    const { knex, tenancy, host } = kit.kernel;
    const runtime = new JobsRuntime({
      knex,
      tenancy,
      logger: createLogger({ level: 'silent' }),
      plugins: host.plugins,
      config: { scheduler: false, worker: true, pollIntervalMs: 20, concurrency: 2, leaseMs: 60_000 },
    });
    await runtime.start(host);
    try {
      const { id } = await enqueue(b, { type: 'reports.flaky', maxAttempts: 3 });
      await waitFor('the job to die', async () => (await status(b, id)).state === 'dead');
      const at = probe.runs.filter((r) => r.type === 'reports.flaky').map((r) => r.at);
      assert.equal(at.length, 3);
      assert.ok(at[1]! - at[0]! >= 800, `first retry after ${at[1]! - at[0]!} ms`);
      assert.ok(at[2]! - at[1]! >= 1600, `second retry after ${at[2]! - at[1]!} ms`);
    } finally {
      await runtime.stop();
    }
  });

  test('a schedule bree cannot parse fails boot with a message naming the plugin', async () => {
    const badCron = definePlugin({
      manifest: { id: 'bad-cron', version: '1.0.0', kernel: '^1.0.0' },
      register(reg) {
        reg.job({ id: 'never', schedule: { cron: '99 * * * *' }, scope: 'node', handler: async () => undefined });
      },
    });
    const config = { ...kit.kernel.config, jobs: { ...kit.kernel.config.jobs, scheduler: true } };
    await assert.rejects(
      createKernel({ config, plugins: [badCron], database: { ownerUrl: kit.database.ownerUrl, appUrl: kit.database.appUrl }, migrate: 'skip' }),
      (err: Error & { code?: string }) => err.code === 'PLUGIN_JOB_SCHEDULE_INVALID' && /plugin "bad-cron": job "never"/.test(err.message),
    );
  });
});
