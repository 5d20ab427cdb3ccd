import type { Knex } from 'knex';
import type { CampaignsDirectory } from '@markettina/plugin-campaigns/contracts';
import type { ContentSettings } from './settings.js';

/**
 * Who is asking, in which transaction and tenant, and the optional plugins they can reach.
 * Every write of posts, pieces, templates and media takes one; reads that need only the
 * tenant's rows take the transaction.
 */
export interface ContentCaller {
  db: Knex.Transaction;
  accountId: string;
  /** The principal, or null for a request without one. */
  actorId: string | null;
  /** The campaigns plugin's directory; undefined when that plugin is not installed. */
  campaigns: CampaignsDirectory | undefined;
  /** The tenant's settings, read in `db` when a rule needs them. */
  settings(): Promise<ContentSettings>;
}
