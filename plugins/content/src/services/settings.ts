import type { Knex } from 'knex';
import type { AccountsService, JsonSchema } from '@markettina/sdk';
import { CONTENT_PLUGIN_ID } from '../contracts.js';

/** Per-tenant settings of the content plugin, stored by the kernel with the tenant's enablement. */
export const tenantSettingsSchema: JsonSchema = {
  type: 'object',
  properties: {
    requireApproval: { type: 'boolean', default: false, description: 'Only approved posts may be scheduled' },
    allowSelfApproval: {
      type: 'boolean',
      default: false,
      description: 'Let whoever wrote or submitted a post or piece approve or reject it too (a team of one); otherwise 403 SELF_APPROVAL_FORBIDDEN',
    },
  },
  additionalProperties: false,
};

export interface ContentSettings {
  requireApproval: boolean;
  allowSelfApproval: boolean;
}

/** The tenant's settings, read in the caller's transaction (absent ones take their defaults). */
export async function contentSettings(accounts: AccountsService, db: Knex.Transaction, accountId: string): Promise<ContentSettings> {
  const settings = (await accounts.pluginStates(accountId, db)).find((s) => s.pluginId === CONTENT_PLUGIN_ID)?.settings;
  return { requireApproval: settings?.requireApproval === true, allowSelfApproval: settings?.allowSelfApproval === true };
}
