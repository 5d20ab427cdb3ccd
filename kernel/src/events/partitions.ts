import type { Knex } from 'knex';
import type { JobDeclaration } from '@markettina/sdk';

/**
 * Makes sure `domain_events` has monthly partitions from the current month to
 * `monthsAhead` months ahead; returns how many it created. Safe to call from any node at
 * any time (it serialises on an advisory lock and skips existing partitions), and callable
 * by the app role because the DDL runs in an owner-defined SECURITY DEFINER function. The
 * kernel calls it at boot and from `eventPartitionsJob`.
 */
export async function ensureEventPartitions(knex: Knex, monthsAhead: number): Promise<number> {
  const { rows } = await knex.raw<{ rows: { created: number }[] }>('select kernel_ensure_event_partitions(?::int) as created', [monthsAhead]);
  return rows[0]!.created;
}

/** The partition that holds events of the month containing `date` (UTC). */
export const partitionName = (date: Date) =>
  `domain_events_${date.getUTCFullYear()}_${String(date.getUTCMonth() + 1).padStart(2, '0')}`;

/** The kernel's cluster job that keeps partitions ahead while a deployment runs for months. */
export function eventPartitionsJob(knex: Knex, monthsAhead: number): JobDeclaration {
  return {
    id: 'event-partitions',
    schedule: { every: 6 * 60 * 60_000 },
    scope: 'cluster',
    handler: async (ctx) => {
      const created = await ensureEventPartitions(knex, monthsAhead);
      if (created > 0) ctx.logger.info({ created }, 'domain_events partitions created');
    },
  };
}
