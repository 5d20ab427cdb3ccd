import type { Kernel } from '@markettina/kernel';
import type { TestKernel } from '@markettina/sdk/testing';
import type { Observer, Progress, WaitSampler } from './observe.js';

export interface PipelineRun {
  nodes: number;
  /** The due instant every publication shared, epoch ms. */
  dueAt: number;
  /** From the due instant until the last publication was recorded as published (database clock). */
  elapsedMs: number;
  /** From the due instant until the first was recorded as published. */
  firstMs: number;
  published: number;
  /** Not published when the run ended: what became of them. */
  unpublished: string[];
  completed: boolean;
  /** CPU readings (ms) at the due instant. */
  cpuAtDue: CpuReading;
  /** Database sessions by state, averaged over the run (when sampled). */
  waits: [string, number][];
}

export interface CpuReading {
  node: number;
  pg: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Lets the kernel's own publish job (every node runs it every second) publish the
 * scheduled `ids`: moves them all to one due instant a little ahead, on whole seconds as a
 * person's schedule would be, and waits until every one is published or has failed, or
 * `timeoutMs` after the due instant. Extra nodes are kernels on the same database,
 * started before and closed after.
 */
export async function runPipeline(kit: TestKernel, observer: Observer, ids: string[], sourcePrefix: string, o: { nodes: number; timeoutMs: number; leadMs: number; label: string; sampler?: WaitSampler; cpu: () => CpuReading }): Promise<PipelineRun> {
  const extra: Kernel[] = [];
  try {
    for (let i = 1; i < o.nodes; i++) extra.push(await kit.startNode());
    const dueAt = Math.ceil((Date.now() + o.leadMs) / 1000) * 1000;
    const moved = await observer.moveDue(ids, new Date(dueAt));
    if (moved !== ids.length) throw new Error(`only ${moved} of ${ids.length} publications were still scheduled when the due instant was set`);
    const deadline = dueAt + o.timeoutMs;
    await sleep(Math.max(0, dueAt - Date.now()));
    const cpuAtDue = o.cpu();
    o.sampler?.start();
    let p: Progress;
    let shown = Date.now();
    for (;;) {
      await sleep(250);
      p = await observer.progress(sourcePrefix);
      if (p.published + p.dead >= ids.length || Date.now() > deadline) break;
      if (Date.now() - shown >= 5_000 && Date.now() > dueAt) {
        shown = Date.now();
        console.error(`  ${o.label}: ${((Date.now() - dueAt) / 1000).toFixed(0)} s after due, ${p.published} published, ${p.retrying} waiting to retry`);
      }
    }
    const waits = (await o.sampler?.stop()) ?? [];
    const completed = p.published === ids.length;
    return {
      nodes: o.nodes,
      dueAt,
      elapsedMs: (p.lastPublishedAt ?? Number.NaN) - dueAt,
      firstMs: (p.firstPublishedAt ?? Number.NaN) - dueAt,
      published: p.published,
      unpublished: completed ? [] : await observer.unpublished(sourcePrefix),
      completed,
      waits,
      cpuAtDue,
    };
  } finally {
    await o.sampler?.stop();
    for (const node of extra) await node.close();
  }
}
