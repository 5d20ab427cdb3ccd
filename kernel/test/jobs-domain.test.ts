import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { definePlugin, PluginError, type JobDeclaration, type PluginRegistrar } from '@markettina/sdk';
import { collectRegistration } from '../src/plugins/registration.js';
import { afterFailure, retryDelayMs } from '../src/jobs/backoff.js';
import { checkEnqueue } from '../src/jobs/queue.js';
import { scheduledEntry, taskTable } from '../src/jobs/registry.js';
import { delayToAlignment, parseSchedule, slotOf } from '../src/jobs/schedule.js';

const noJitter = () => 0;
const fullJitter = () => 1;

describe('retry backoff', () => {
  test('doubles from the base delay and stops at the cap', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, policy, noJitter)), [100, 200, 400, 800, 1000, 1000]);
    assert.equal(retryDelayMs(500, policy, noJitter), 1000, 'a huge attempt number overflowed the cap');
  });

  test('jitter takes off at most a fifth of the delay', () => {
    assert.equal(retryDelayMs(2, { baseDelayMs: 100 }, fullJitter), 160);
    assert.equal(retryDelayMs(2, { baseDelayMs: 100 }, noJitter), 200);
  });

  test('defaults to 5 s doubling up to an hour', () => {
    assert.equal(retryDelayMs(1, {}, noJitter), 5_000);
    assert.equal(retryDelayMs(30, {}, noJitter), 3_600_000);
  });

  test('a failed attempt is retried until the last one, which leaves the job dead', () => {
    assert.deepEqual(afterFailure(1, 3, { baseDelayMs: 10 }, noJitter), { state: 'queued', delayMs: 10 });
    assert.deepEqual(afterFailure(2, 3, { baseDelayMs: 10 }, noJitter), { state: 'queued', delayMs: 20 });
    assert.deepEqual(afterFailure(3, 3), { state: 'dead' });
    assert.deepEqual(afterFailure(1, 1), { state: 'dead' });
  });
});

describe('schedules', () => {
  test('accepts intervals and five- or six-field cron expressions', () => {
    assert.deepEqual(parseSchedule({ every: 60_000 }), { kind: 'every', every: 60_000 });
    assert.deepEqual(parseSchedule({ cron: '0 3 * * *' }), { kind: 'cron', cron: '0 3 * * *', hasSeconds: false });
    assert.deepEqual(parseSchedule({ cron: ' */5 * * * * * ' }), { kind: 'cron', cron: '*/5 * * * * *', hasSeconds: true });
  });

  test('rejects intervals that are too short or fractional, and cron of the wrong shape', () => {
    assert.throws(() => parseSchedule({ every: 10 }), /at least 50/);
    assert.throws(() => parseSchedule({ every: 1500.5 }), /whole number/);
    assert.throws(() => parseSchedule({ cron: '* * * *' }), /five fields/);
    assert.throws(() => parseSchedule({} as never), /schedule must be/);
  });

  test('nodes firing a little early or late for the same tick agree on its slot', () => {
    const every = parseSchedule({ every: 1000 });
    const tick = Date.UTC(2026, 10, 22, 12, 0, 5);
    assert.equal(slotOf(every, tick - 30).getTime(), tick);
    assert.equal(slotOf(every, tick + 120).getTime(), tick);
    assert.notEqual(slotOf(every, tick + 1000).getTime(), tick);

    const minutely = parseSchedule({ cron: '* * * * *' });
    const minute = Date.UTC(2026, 10, 22, 12, 1);
    assert.equal(slotOf(minutely, minute - 5).getTime(), minute);
    assert.equal(slotOf(minutely, minute + 2_500).getTime(), minute);
    const secondly = parseSchedule({ cron: '* * * * * *' });
    assert.equal(slotOf(secondly, minute + 1_040).getTime(), minute + 1_000);
  });

  test('intervals start on a multiple of themselves', () => {
    assert.equal(delayToAlignment(1000, 12_345), 655);
    assert.equal(delayToAlignment(1000, 12_000), 1000);
  });

  test('an invalid schedule is a boot error naming the plugin and the job', () => {
    const job = { id: 'sweep', schedule: { every: 1 }, scope: 'cluster', handler: async () => undefined } as JobDeclaration;
    assert.throws(
      () => scheduledEntry('billing', job),
      (err: PluginError) => err.code === 'PLUGIN_JOB_SCHEDULE_INVALID' && err.pluginId === 'billing' && /job "sweep"/.test(err.message),
    );
    assert.equal(scheduledEntry('billing', { ...job, schedule: { every: 1000 } }).key, 'billing/sweep');
  });
});

describe('task declarations', () => {
  const plugin = (register: (reg: PluginRegistrar) => void) =>
    collectRegistration(definePlugin({ manifest: { id: 'reports', version: '1.0.0', kernel: '^1.0.0' }, register }), 'reports', {});
  const handler = async () => undefined;

  test('a task type must carry its plugin id and be declared once', () => {
    assert.throws(() => plugin((reg) => reg.task({ type: 'build', handler })), (err: PluginError) => err.code === 'PLUGIN_TASK_TYPE_INVALID' && /"reports\."/.test(err.message));
    assert.throws(
      () =>
        plugin((reg) => {
          reg.task({ type: 'reports.build', handler });
          reg.task({ type: 'reports.build', handler });
        }),
      (err: PluginError) => err.code === 'PLUGIN_DUPLICATE_TASK',
    );
  });

  test('enqueue knows the owner of a type and checks attempts and runAt', () => {
    const tasks = taskTable([plugin((reg) => reg.task({ type: 'reports.build', handler }))]);
    assert.equal(checkEnqueue(tasks, { type: 'reports.build' }), 'reports');
    assert.throws(() => checkEnqueue(tasks, { type: 'crm.build' }), /no installed plugin handles job type "crm.build"/);
    assert.throws(() => checkEnqueue(tasks, { type: 'reports.build', maxAttempts: 101 }), /from 1 to 100/);
    assert.throws(() => checkEnqueue(tasks, { type: 'reports.build', maxAttempts: 1.5 }), /from 1 to 100/);
    assert.throws(() => checkEnqueue(tasks, { type: 'reports.build', runAt: new Date('nope') }), /runAt must be a valid Date/);
  });
});
