import type { Knex } from 'knex';
import pg from 'pg';
import type { PlanTier, TenancyService, TenantInfo } from '@markettina/sdk';
import { problems, ProblemError } from '@markettina/sdk';

export interface TenantEntry {
  tenant: TenantInfo;
  status: 'active' | 'suspended' | 'closed';
  pluginEnabled: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TenantEntryRow {
  plan_tier: PlanTier;
  status: TenantEntry['status'];
  plugin_enabled: boolean;
}

/** The entry a `kernel_enter_tenant` call reported; undefined when the account does not exist. */
export function tenantEntryOf(accountId: string, rows: TenantEntryRow[]): TenantEntry | undefined {
  const row = rows[0];
  if (!row) return undefined;
  return { tenant: { accountId, planTier: row.plan_tier }, status: row.status, pluginEnabled: row.plugin_enabled };
}

/** Binds `trx` to the tenant (transaction-local) and reports the account and plugin state. */
export async function enterTenant(trx: Knex.Transaction, accountId: string, pluginId: string | null): Promise<TenantEntry | undefined> {
  if (!UUID.test(accountId)) return undefined;
  const { rows } = await trx.raw<{ rows: TenantEntryRow[] }>('select * from kernel_enter_tenant(?, ?)', [accountId, pluginId]);
  return tenantEntryOf(accountId, rows);
}

/**
 * The same tenant entry as one self-contained statement, so that it can travel with BEGIN
 * in a single round trip (a multi-statement query takes no parameters; the values are
 * escaped literals, and the account id must be a UUID). Undefined for an id that is not.
 */
export function tenantEntryStatement(accountId: string, pluginId: string | null): string | undefined {
  if (!UUID.test(accountId)) return undefined;
  return `select * from kernel_enter_tenant(${pg.escapeLiteral(accountId)}, ${pluginId === null ? 'null' : pg.escapeLiteral(pluginId)})`;
}

/**
 * Runs `fn` in a savepoint of `trx` and restores the transaction's tenant binding when it
 * returns, so work for another tenant can join the caller's transaction. On a throw the
 * savepoint rolls back, and PostgreSQL reverts the binding with it.
 */
export async function inSavepoint<T>(trx: Knex.Transaction, fn: (sp: Knex.Transaction) => Promise<T>): Promise<T> {
  const { rows } = await trx.raw<{ rows: { current: string | null }[] }>("select current_setting('app.current_account_id', true) as current");
  const previous = rows[0]?.current ?? '';
  return trx.transaction(async (sp) => {
    const result = await fn(sp);
    await sp.raw("select set_config('app.current_account_id', ?, true)", [previous]);
    return result;
  });
}

export const accountInactive = (status: string) =>
  new ProblemError({ status: 403, code: 'ACCOUNT_INACTIVE', title: 'Account is not active', detail: `this account is ${status}` });

export class Tenancy implements TenancyService {
  constructor(private readonly knex: Knex) {}

  async withTenant<T>(accountId: string, fn: (trx: Knex.Transaction, tenant: TenantInfo) => Promise<T>, options: { within?: Knex.Transaction } = {}): Promise<T> {
    const run = async (trx: Knex.Transaction) => {
      const entry = await enterTenant(trx, accountId, null);
      if (!entry) throw problems.notFound('account');
      return fn(trx, entry.tenant);
    };
    return options.within ? inSavepoint(options.within, run) : this.knex.transaction(run);
  }

  async withoutTenant<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.knex.transaction(fn);
  }

  /** `pluginId: null` visits every active tenant (the kernel's own per-tenant work). */
  async forEachTenant(pluginId: string | null, fn: (trx: Knex.Transaction, tenant: TenantInfo) => Promise<void>): Promise<void> {
    const { rows } = await this.knex.raw<{ rows: { id: string }[] }>('select id from kernel_tenant_directory(?)', [pluginId]);
    for (const { id } of rows) {
      await this.knex.transaction(async (trx) => {
        // Enablement is checked again inside the tenant transaction: it may have changed since the listing.
        const entry = await enterTenant(trx, id, pluginId);
        if (entry?.status === 'active' && entry.pluginEnabled) await fn(trx, entry.tenant);
      });
    }
  }

  async isEnabledIn(trx: Knex.Transaction, pluginId: string): Promise<boolean> {
    const row = await trx('tenant_plugins').where({ plugin_id: pluginId, enabled: true }).first('plugin_id');
    return row !== undefined;
  }

  async isEnabled(accountId: string, pluginId: string): Promise<boolean> {
    return this.knex.transaction(async (trx) => (await enterTenant(trx, accountId, pluginId))?.pluginEnabled ?? false);
  }
}
