import type { JobDeclaration } from '@markettina/sdk';
import { socialRuntimeRef } from '../runtime.js';
import { drainDue } from '../services/publish-worker.js';

/** How long one tick keeps claiming; the next tick carries on where it stopped. */
export const TICK_BUDGET_MS = 10_000;

/**
 * Publishes what is due. A `node` job on purpose: a `cluster` job runs on one node at a
 * time (it holds an advisory lock for the whole run), while publications are claimed row
 * by row with SKIP LOCKED, so every node can drain the same backlog at once without two
 * of them ever holding the same row. A tick still running when the next one fires makes
 * that one skip on this node.
 */
export const publishDueJob: JobDeclaration = {
  id: 'publish-due',
  schedule: { every: 1_000 },
  scope: 'node',
  async handler(ctx) {
    await drainDue(ctx.get(socialRuntimeRef), { budgetMs: TICK_BUDGET_MS });
  },
};
