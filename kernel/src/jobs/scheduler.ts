import Bree from 'bree';
import { PluginError } from '@markettina/sdk';
import { delayToAlignment, slotOf } from './schedule.js';
import type { ScheduledEntry } from './registry.js';
import { runTick, type TickDeps } from './tick.js';
import { TICK, TICK_WORKER_SOURCE } from './tick-worker.js';

/** Worker threads start without the parent's loader flags (tsx): the tick code is plain JS. */
const TICK_WORKER = { eval: true, execArgv: [] };

function breeJob(entry: ScheduledEntry, now: number): Bree.JobOptions {
  const base = { name: entry.key, path: TICK_WORKER_SOURCE, worker: TICK_WORKER };
  return entry.spec.kind === 'every'
    ? { ...base, interval: entry.spec.every, timeout: delayToAlignment(entry.spec.every, now) }
    : { ...base, cron: entry.spec.cron, hasSeconds: entry.spec.hasSeconds };
}

/**
 * Turns bree's ticks into handler runs in this thread. A tick that fires while the
 * previous run of the same job is still going on this node is skipped.
 */
export class Scheduler {
  private bree: Bree | undefined;
  private readonly firedAt = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly byKey: Map<string, ScheduledEntry>;

  constructor(
    private readonly deps: TickDeps,
    entries: ScheduledEntry[],
  ) {
    this.byKey = new Map(entries.map((e) => [e.key, e]));
  }

  async start(): Promise<void> {
    if (this.bree || this.byKey.size === 0) return;
    const log = this.deps.logger.child({ component: 'scheduler' });
    const bree = new Bree({
      root: false,
      doRootCheck: false,
      timezone: 'UTC',
      logger: { info: () => undefined, warn: (...args: unknown[]) => log.warn({ bree: args }), error: (...args: unknown[]) => log.error({ bree: args }) },
      errorHandler: (err, meta) => log.error({ err, job: meta.name }, 'tick worker failed'),
      workerMessageHandler: ({ name, message }) => {
        if (message === TICK) this.onTick(name);
      },
    });
    // Taken when the timer fires, before the worker starts, so worker start-up does not skew the slot.
    bree.on('worker created', (name: string) => this.firedAt.set(name, Date.now()));
    for (const entry of this.byKey.values()) {
      try {
        await bree.add(breeJob(entry, Date.now()));
      } catch (err) {
        throw new PluginError('PLUGIN_JOB_SCHEDULE_INVALID', `plugin "${entry.pluginId}": job "${entry.job.id}" has an invalid schedule: ${(err as Error).message}`, entry.pluginId);
      }
    }
    await bree.start();
    this.bree = bree;
  }

  async stop(): Promise<void> {
    const bree = this.bree;
    this.bree = undefined;
    await bree?.stop();
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private onTick(name: string): void {
    const entry = this.byKey.get(name);
    if (!entry || !this.bree) return;
    if (this.inFlight.has(name)) {
      this.deps.logger.debug({ scheduledJob: name }, 'previous run still going; tick skipped');
      return;
    }
    const slot = slotOf(entry.spec, this.firedAt.get(name) ?? Date.now());
    const run = runTick(this.deps, entry, slot)
      .then((outcome) => this.deps.logger.debug({ scheduledJob: name, slot, outcome }, 'tick'))
      .catch((err: unknown) => this.deps.logger.error({ err, scheduledJob: name }, 'tick failed'))
      .finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, run);
  }
}
