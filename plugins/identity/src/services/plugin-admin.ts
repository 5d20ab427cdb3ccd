import type { Knex } from 'knex';
import { ProblemError, type AccountsService, type InstalledPlugin, type PluginCatalog, type PluginStateChange } from '@markettina/sdk';
import { IDENTITY_PLUGIN_ID } from '../contracts.js';

export interface PluginStateRow {
  pluginId: string;
  version: string | null;
  installed: boolean;
  enabled: boolean;
  settings: Record<string, unknown>;
  hasSecrets: boolean;
}

/**
 * Per-tenant plugin administration: every installed plugin with the tenant's state, and
 * enabling or disabling one with settings and secrets the kernel checks against the
 * plugin's schemas. Secrets are write-only: nothing here ever returns them.
 */
export class PluginAdmin {
  constructor(
    private readonly catalog: PluginCatalog,
    private readonly accounts: AccountsService,
  ) {}

  installed(): InstalledPlugin[] {
    return this.catalog.installed();
  }

  async states(db: Knex.Transaction, accountId: string): Promise<PluginStateRow[]> {
    const states = await this.accounts.pluginStates(accountId, db);
    const byId = new Map(states.map((s) => [s.pluginId, s]));
    const rows: PluginStateRow[] = this.installed().map((p) => ({
      pluginId: p.id,
      version: p.version,
      installed: true,
      enabled: byId.get(p.id)?.enabled ?? false,
      settings: byId.get(p.id)?.settings ?? {},
      hasSecrets: byId.get(p.id)?.hasSecrets ?? false,
    }));
    for (const s of states) if (!rows.some((r) => r.pluginId === s.pluginId)) rows.push({ ...s, version: null, installed: false });
    return rows;
  }

  async set(db: Knex.Transaction, accountId: string, pluginId: string, change: PluginStateChange): Promise<PluginStateRow> {
    // Disabling identity would lock the tenant out of its own administration.
    if (pluginId === IDENTITY_PLUGIN_ID && !change.enabled) {
      throw new ProblemError({ status: 409, code: 'PLUGIN_REQUIRED', title: 'Conflict', detail: 'the identity plugin cannot be disabled for an account' });
    }
    const state = await this.accounts.setPluginState(accountId, pluginId, change, db);
    const installed = this.installed().find((p) => p.id === pluginId);
    return { ...state, version: installed?.version ?? null, installed: Boolean(installed) };
  }
}
