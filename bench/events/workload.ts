/**
 * The same workload for both systems: `count` items, each enqueued in its own transaction
 * by one of `publishers` concurrent loops, optionally paced to `ratePerSecond` overall.
 * Each item carries the moment it was sent; the consumer reports back through `Sink`.
 */
export interface Workload {
  count: number;
  publishers: number;
  /** Unpaced (as fast as possible) when absent. */
  ratePerSecond?: number;
  /** Gives up after this long; the result then says how many arrived. */
  timeoutMs: number;
}

export interface Sink {
  /** Called by the consumer with the item's `sentAt` when it starts handling it. */
  received(sentAt: number): void;
}

export interface RunResult {
  latenciesMs: number[];
  /** How long each enqueueing transaction took, commit included. */
  publishMs: number[];
  elapsedMs: number;
  completed: boolean;
}

export async function drive(workload: Workload, send: (sentAt: number, i: number) => Promise<void>, sink: { attach(s: Sink): void }): Promise<RunResult> {
  const latenciesMs: number[] = [];
  const publishMs: number[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  sink.attach({
    received(sentAt) {
      latenciesMs.push(performance.now() - sentAt);
      if (latenciesMs.length === workload.count) done();
    },
  });
  const start = performance.now();
  let next = 0;
  const interval = workload.ratePerSecond ? 1000 / workload.ratePerSecond : 0;
  const publisher = async () => {
    for (let i = next++; i < workload.count; i = next++) {
      if (interval) {
        const due = start + i * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const sentAt = performance.now();
      await send(sentAt, i);
      publishMs.push(performance.now() - sentAt);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), workload.timeoutMs)));
  const publishing = Promise.all(Array.from({ length: workload.publishers }, publisher));
  const completed = await Promise.race([publishing.then(() => all).then(() => true as const), timedOut]);
  clearTimeout(timer);
  return { latenciesMs, publishMs, elapsedMs: performance.now() - start, completed };
}
