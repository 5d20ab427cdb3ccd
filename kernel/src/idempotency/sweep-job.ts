import type { JobDeclaration } from '@markettina/sdk';
import type { IdempotencyService } from './service.js';

/** Deletes expired idempotency keys of every tenant; expired keys are already ignored, this frees the space. */
export function idempotencySweepJob(idempotency: IdempotencyService): JobDeclaration {
  return {
    id: 'idempotency-sweep',
    schedule: { every: 15 * 60_000 },
    scope: 'cluster',
    handler: async (ctx) => {
      const swept = await idempotency.sweep();
      if (swept > 0) ctx.logger.debug({ swept }, 'expired idempotency keys deleted');
    },
  };
}
