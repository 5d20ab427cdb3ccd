import type { JobDeclaration } from '@markettina/sdk';
import type { RateLimitService } from './service.js';

/**
 * Forgets budgets that are full again. An absent budget means a full one, so the sweep
 * only bounds the table's size. Memory stores are per process, so each node sweeps its own.
 */
export function rateLimitSweepJob(limits: RateLimitService, store: 'postgres' | 'memory'): JobDeclaration {
  return {
    id: 'rate-limit-sweep',
    schedule: { every: 5 * 60_000 },
    scope: store === 'memory' ? 'node' : 'cluster',
    handler: async (ctx) => {
      const swept = await limits.sweep();
      if (swept > 0) ctx.logger.debug({ swept }, 'full rate-limit budgets forgotten');
    },
  };
}
