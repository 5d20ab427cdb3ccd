import type { Knex } from 'knex';
import type { AccountsService, JsonSchema } from '@markettina/sdk';
import { CONTENT_PLUGIN_ID } from '../contracts.js';

/** Per-tenant settings of the content plugin, stored by the kernel with the tenant's enablement. */
export const tenantSettingsSchema: JsonSchema = {
  type: 'object',
  properties: {
    requireApproval: { type: 'boolean', default: false, description: 'Only approved posts may be scheduled' },
  },
  additionalProperties: false,
};

export interface ContentSettings {
  requireApproval: boolean;
}

/** The tenant's settings, read in the caller's transaction (absent ones take their defaults). */
export async function contentSettings(accounts: AccountsService, db: Knex.Transaction, accountId: string): Promise<ContentSettings> {
  const state = (await accounts.pluginStates(accountId, db)).find((s) => s.pluginId === CONTENT_PLUGIN_ID);
  return { requireApproval: state?.settings.requireApproval === true };
}
