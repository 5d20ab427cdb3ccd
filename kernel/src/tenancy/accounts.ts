import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  PLAN_TIERS,
  ProblemError,
  problems,
  type AccountRecord,
  type AccountsService,
  type NewAccount,
  type PlanTier,
  type PluginStateChange,
  type SecretBox,
  type TenantPluginState,
} from '@markettina/sdk';
import type { PluginHost } from '../plugins/host.js';
import { checkAgainst } from '../plugins/validate.js';
import { enterTenant, inSavepoint } from './tenancy.js';

export const PLUGIN_CHANGES_CHANNEL = 'markettina_tenant_plugins';

interface AccountRow {
  id: string;
  name: string;
  plan_tier: PlanTier;
  status: AccountRecord['status'];
  parent_id: string | null;
  settings?: Record<string, unknown>;
  created_at: Date;
  updated_at?: Date | Knex.Raw;
}

const toRecord = (r: AccountRow): AccountRecord => ({
  id: r.id,
  name: r.name,
  planTier: r.plan_tier,
  status: r.status,
  parentId: r.parent_id,
  settings: r.settings ?? {},
  createdAt: r.created_at.toISOString(),
});

export type { PluginStateChange };

const checkPlanTier = (planTier: PlanTier) => {
  if (!PLAN_TIERS.includes(planTier)) throw problems.invalid('PLAN_TIER_INVALID', `plan tier must be one of ${PLAN_TIERS.join(', ')}`);
};

/** Kernel administration of tenants and of which plugins each tenant enabled (`coreServices.accounts`). */
export class AccountsAdmin implements AccountsService {
  constructor(
    private readonly knex: Knex,
    private readonly host: PluginHost,
    private readonly secrets: SecretBox,
  ) {}

  /** Runs `fn` in the caller's transaction (in a savepoint, tenant binding restored) or in one of its own. */
  private inTransaction<T>(trx: Knex.Transaction | undefined, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return trx ? inSavepoint(trx, fn) : this.knex.transaction(fn);
  }

  /** Binds `trx` to the account and reads it; not found is a 404 problem. */
  private async enter(trx: Knex.Transaction, accountId: string): Promise<AccountRecord> {
    if (!(await enterTenant(trx, accountId, null))) throw problems.notFound('account');
    const row = await trx<AccountRow>('accounts').where({ id: accountId }).first();
    return toRecord(row!);
  }

  async create(input: NewAccount & { id?: string }, outer?: Knex.Transaction): Promise<AccountRecord> {
    const planTier = input.planTier ?? 'free';
    checkPlanTier(planTier);
    const id = input.id ?? randomUUID();
    return this.inTransaction(outer, async (trx) => {
      if (input.parentId) {
        const parent = await enterTenant(trx, input.parentId, null);
        if (!parent) throw problems.invalid('PARENT_ACCOUNT_NOT_FOUND', `parent account ${input.parentId} does not exist`);
      }
      await trx.raw("select set_config('app.current_account_id', ?, true)", [id]);
      const [row] = await trx<AccountRow>('accounts')
        .insert({ id, name: input.name, plan_tier: planTier, parent_id: input.parentId ?? null })
        .returning('*');
      for (const reg of this.host.plugins.filter((p) => p.manifest.enabledByDefault)) {
        await this.applyPluginState(trx, id, reg.id, { enabled: true });
      }
      return toRecord(row!);
    });
  }

  async list(): Promise<AccountRecord[]> {
    const { rows } = await this.knex.raw<{ rows: AccountRow[] }>('select * from kernel_list_accounts()');
    return rows.map(toRecord);
  }

  async get(accountId: string, outer?: Knex.Transaction): Promise<AccountRecord | undefined> {
    return this.inTransaction(outer, async (trx) => {
      if (!(await enterTenant(trx, accountId, null))) return undefined;
      const row = await trx<AccountRow>('accounts').where({ id: accountId }).first();
      return row && toRecord(row);
    });
  }

  async children(parentId: string, outer?: Knex.Transaction): Promise<AccountRecord[]> {
    return this.inTransaction(outer, async (trx) => {
      await this.enter(trx, parentId);
      const { rows } = await trx.raw<{ rows: AccountRow[] }>('select * from kernel_account_children(?)', [parentId]);
      return rows.map(toRecord);
    });
  }

  async setPlan(accountId: string, planTier: PlanTier, outer?: Knex.Transaction): Promise<{ before: AccountRecord; after: AccountRecord }> {
    checkPlanTier(planTier);
    return this.inTransaction(outer, async (trx) => {
      const before = await this.enter(trx, accountId);
      const [row] = await trx<AccountRow>('accounts').where({ id: accountId }).update({ plan_tier: planTier, updated_at: trx.fn.now() }).returning('*');
      return { before, after: toRecord(row!) };
    });
  }

  async pluginStates(accountId: string, outer?: Knex.Transaction): Promise<TenantPluginState[]> {
    return this.inTransaction(outer, async (trx) => {
      if (!(await enterTenant(trx, accountId, null))) throw problems.notFound('account');
      const rows = await trx('tenant_plugins').select('plugin_id', 'enabled', 'settings', 'secrets').orderBy('plugin_id');
      return rows.map((r: { plugin_id: string; enabled: boolean; settings: Record<string, unknown>; secrets: string | null }) => ({
        pluginId: r.plugin_id,
        enabled: r.enabled,
        settings: r.settings,
        hasSecrets: r.secrets !== null,
      }));
    });
  }

  /** Enables or disables a plugin for a tenant; effective on every node at once (checked per request). */
  async setPluginState(accountId: string, pluginId: string, change: PluginStateChange, outer?: Knex.Transaction): Promise<TenantPluginState> {
    return this.inTransaction(outer, async (trx) => {
      if (!(await enterTenant(trx, accountId, null))) throw problems.notFound('account');
      return this.applyPluginState(trx, accountId, pluginId, change);
    });
  }

  private async applyPluginState(trx: Knex.Transaction, accountId: string, pluginId: string, change: PluginStateChange): Promise<TenantPluginState> {
    const reg = this.host.registration(pluginId);
    if (!reg) {
      throw new ProblemError({ status: 404, code: 'PLUGIN_NOT_INSTALLED', title: 'Plugin not installed', detail: `no installed plugin has id "${pluginId}"` });
    }
    const current = await trx('tenant_plugins').where({ plugin_id: pluginId }).first<{ enabled: boolean; settings: Record<string, unknown>; secrets: string | null } | undefined>();
    const settings = structuredClone(change.settings ?? current?.settings ?? {});
    const settingsError = checkAgainst(reg.schemas.tenantSettings ?? { type: 'object', additionalProperties: false }, settings);
    if (settingsError) throw problems.invalid('PLUGIN_SETTINGS_INVALID', `settings for "${pluginId}" are invalid: ${settingsError}`);
    let sealed = current?.secrets ?? null;
    if (change.secrets) {
      const secretsError = checkAgainst(reg.schemas.tenantSecrets ?? { type: 'object', additionalProperties: false }, change.secrets);
      if (secretsError) throw problems.invalid('PLUGIN_SECRETS_INVALID', `secrets for "${pluginId}" are invalid: ${secretsError}`);
      sealed = this.secrets.seal(JSON.stringify(change.secrets), `${accountId}:${pluginId}`);
    } else if (change.enabled && sealed === null && reg.schemas.tenantSecrets) {
      const missing = checkAgainst(reg.schemas.tenantSecrets, {});
      if (missing) throw problems.invalid('PLUGIN_SECRETS_INVALID', `"${pluginId}" needs secrets before it can be enabled: ${missing}`);
    }
    await trx('tenant_plugins')
      .insert({ account_id: accountId, plugin_id: pluginId, enabled: change.enabled, settings, secrets: sealed, updated_at: trx.fn.now() })
      .onConflict(['account_id', 'plugin_id'])
      .merge();
    const wasEnabled = current?.enabled ?? false;
    if (wasEnabled !== change.enabled) {
      const entry = await enterTenant(trx, accountId, pluginId);
      const ctx = this.host.tenantContext(pluginId, trx, entry!.tenant);
      for (const hook of change.enabled ? reg.onTenantEnabled : reg.onTenantDisabled) await hook(ctx);
    }
    await trx.raw('select pg_notify(?, ?)', [PLUGIN_CHANGES_CHANNEL, JSON.stringify({ accountId, pluginId, enabled: change.enabled })]);
    return { pluginId, enabled: change.enabled, settings, hasSecrets: sealed !== null };
  }

  /** A tenant's secrets for one plugin, decrypted; only the kernel and that plugin read them. */
  async pluginSecrets(trx: Knex.Transaction, accountId: string, pluginId: string): Promise<Record<string, unknown>> {
    const row = await trx('tenant_plugins').where({ plugin_id: pluginId }).first<{ secrets: string | null } | undefined>();
    return row?.secrets ? (JSON.parse(this.secrets.open(row.secrets, `${accountId}:${pluginId}`)) as Record<string, unknown>) : {};
  }
}
