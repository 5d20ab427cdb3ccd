import type { ServiceContext } from '@markettina/sdk';
import { socialRuntimeRef } from '../runtime.js';
import { enrolPublishedPosts } from '../subscribers/publication-metrics.js';

/**
 * Resolves once every PostPublished has reached the metrics enrolment in every tenant, so
 * a metrics sync run right after sees every published post. The dispatcher of some node
 * must be running; rejects after `timeoutMs`.
 */
export async function metricsEnrolled(kernel: { host: { contextFor(pluginId: string): ServiceContext } }, timeoutMs = 10_000): Promise<void> {
  const rt = kernel.host.contextFor('social').get(socialRuntimeRef);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pending = 0;
    await rt.tenancy.forEachTenant('social', async (trx) => {
      const [row] = await trx('event_deliveries').where({ plugin_id: 'social', subscriber_id: enrolPublishedPosts.subscriberId, state: 'pending' }).count<{ count: string }[]>({ count: '*' });
      pending += Number(row?.count ?? 0);
    });
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} published posts were still not enrolled for metrics after ${timeoutMs} ms; is a dispatcher running?`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
