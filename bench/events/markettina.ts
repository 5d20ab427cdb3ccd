import { definePlugin } from '@markettina/sdk';
import type { TestKernel } from '@markettina/sdk/testing';
import { drive, type RunResult, type Sink, type Workload } from './workload.js';

export const PING = 'bench-events.ping';

let sink: Sink | undefined;

/** One event type and one subscriber whose handler does nothing but report the latency. */
export const benchPlugin = definePlugin({
  manifest: { id: 'bench-events', version: '0.0.0', kernel: '^1.0.0', description: 'Benchmark: a trivial subscriber' },
  register(reg) {
    reg.publishes({ type: PING, schema: { type: 'object', properties: { sentAt: { type: 'number' } }, required: ['sentAt'] } });
    reg.subscribe({
      event: PING,
      subscriberId: 'noop',
      async handler(event) {
        sink?.received((event.data as { sentAt: number }).sentAt);
      },
    });
  },
});

/** Publish in a tenant transaction → handler runs, through the kernel's bus and dispatcher. */
export function runMarkettina(kit: TestKernel, accountId: string, workload: Workload): Promise<RunResult> {
  return drive(
    workload,
    (sentAt) => kit.kernel.tenancy.withTenant(accountId, (trx) => kit.kernel.events.publish(trx, { type: PING, data: { sentAt } })).then(() => undefined),
    { attach: (s) => (sink = s) },
  );
}
