import type { Knex } from 'knex';
import type { FeatureFlags, FlagDeclaration, FlagEvaluation, FlagTenant, FlagValue, Logger, PlanTier } from '@markettina/sdk';
import { enterTenant } from '../tenancy/tenancy.js';
import { TenantFlagCache, type TenantFlags } from './cache.js';
import type { StoredFlag } from './definition.js';
import { evaluateFlag } from './evaluate.js';
import { NotifyListener } from './listener.js';
import { loadDefinitions, loadOverrides, syncDeclared } from './store.js';

export const FLAGS_CHANNEL = 'markettina_flags';

export interface FlagServiceOptions {
  knex: Knex;
  /** Connection string for the node's LISTEN connection. */
  listenUrl: string;
  /** Flags declared in code (by plugins), written at start. */
  declared: FlagDeclaration[];
  logger: Logger;
  /** Upper bound on staleness should a notification be missed. */
  cacheTtlMs?: number;
}

/** Whom to evaluate for: a tenant with or without its transaction, or only an id (OpenFeature's targetingKey). */
export type EvaluationTarget = FlagTenant | { accountId: string };

interface Resolved {
  accountId: string;
  planTier: PlanTier | undefined;
  db: Knex.Transaction | undefined;
}

function resolveTarget(target: EvaluationTarget): Resolved {
  if ('tenant' in target) return { accountId: target.tenant.accountId, planTier: target.tenant.planTier, db: target.db };
  return { accountId: target.accountId, planTier: 'planTier' in target ? target.planTier : undefined, db: undefined };
}

/**
 * The kernel's feature flags. Definitions live in memory on every node and are reloaded
 * when a NOTIFY says they changed; each tenant's overrides are cached on first use. A warm
 * evaluation runs no query; a cold one inside a request runs one, on the request's
 * transaction.
 */
export class FlagService implements FeatureFlags {
  private definitions = new Map<string, StoredFlag>();
  private readonly tenants: TenantFlagCache;
  private readonly listener: NotifyListener;
  private reloading: Promise<void> | undefined;
  private reloadAgain = false;
  private refresh: NodeJS.Timeout | undefined;

  constructor(private readonly options: FlagServiceOptions) {
    const ttl = options.cacheTtlMs ?? 60_000;
    this.tenants = new TenantFlagCache(10_000, ttl);
    this.listener = new NotifyListener(
      options.listenUrl,
      FLAGS_CHANNEL,
      { message: (payload) => this.onNotify(payload), resync: () => this.resync() },
      options.logger,
    );
  }

  /** Writes declared flags, starts listening, then loads definitions (in that order, so no change slips between). */
  async start(): Promise<void> {
    await syncDeclared(this.options.knex, this.options.declared);
    await this.listener.start();
    await this.reloadDefinitions();
    // Tenant entries expire by TTL; definitions are refreshed on the same period, should a NOTIFY be missed.
    this.refresh = setInterval(() => this.backgroundReload(), this.options.cacheTtlMs ?? 60_000);
    this.refresh.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.refresh);
    await this.listener.stop();
    await this.reloading?.catch(() => undefined);
  }

  definition(key: string): StoredFlag | undefined {
    return this.definitions.get(key);
  }

  async evaluate<T extends FlagValue>(key: string, tenant: FlagTenant, defaultValue: T) {
    return (await this.evaluateFor(key, tenant, defaultValue)) as FlagEvaluation<never>;
  }

  async isEnabled(key: string, tenant: FlagTenant): Promise<boolean> {
    return (await this.evaluateFor(key, tenant, false)).value === true;
  }

  /**
   * Evaluates one flag; never throws. Without a caller default (OFREP) errors answer the
   * flag's own default, and an unknown flag has value undefined.
   */
  async evaluateFor<D extends FlagValue | undefined>(key: string, target: EvaluationTarget, callerDefault: D): Promise<FlagEvaluation<FlagValue | D>> {
    try {
      const flag = this.definitions.get(key);
      const subject = resolveTarget(target);
      const tenant: TenantFlags = flag ? await this.tenantFlags(subject) : { overrides: new Map() };
      return evaluateFlag(key, flag, { accountId: subject.accountId, planTier: subject.planTier ?? tenant.planTier }, tenant.overrides.get(key), callerDefault);
    } catch (err) {
      this.options.logger.warn({ err, flag: key }, 'flag evaluation failed; answering the default');
      const value = callerDefault ?? (this.definitions.get(key)?.defaultValue as D);
      return { key, value, reason: 'ERROR', errorCode: 'GENERAL', errorMessage: (err as Error)?.message ?? String(err) };
    }
  }

  /** Every flag for one tenant (OFREP bulk), with one overrides lookup at most. */
  async evaluateAll(target: EvaluationTarget): Promise<FlagEvaluation<FlagValue>[]> {
    const flags = [...this.definitions.values()];
    const subject = resolveTarget(target);
    let tenant: TenantFlags;
    try {
      tenant = await this.tenantFlags(subject);
    } catch (err) {
      this.options.logger.warn({ err }, 'loading tenant flags failed; answering defaults');
      return flags.map((f) => ({ key: f.key, value: f.defaultValue, reason: 'ERROR', errorCode: 'GENERAL', errorMessage: (err as Error).message }));
    }
    const planTier = subject.planTier ?? tenant.planTier;
    return flags.map((f) => evaluateFlag(f.key, f, { accountId: subject.accountId, planTier }, tenant.overrides.get(f.key), undefined) as FlagEvaluation<FlagValue>);
  }

  /** Drops one tenant's cached overrides (this node); other nodes hear it through NOTIFY. */
  invalidateTenant(accountId: string): void {
    this.tenants.invalidate(accountId);
  }

  /** Reloads definitions; concurrent calls share one load, and a call during a load triggers one more. */
  reloadDefinitions(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    const run = async () => {
      do {
        this.reloadAgain = false;
        this.definitions = await loadDefinitions(this.options.knex);
      } while (this.reloadAgain);
    };
    this.reloading = run().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async tenantFlags(subject: Resolved): Promise<TenantFlags> {
    const cached = this.tenants.get(subject.accountId);
    if (cached) return cached;
    const epoch = this.tenants.epoch;
    const loaded = subject.db ? { overrides: await loadOverrides(subject.db), planTier: subject.planTier } : await this.lookupTenant(subject.accountId);
    if (this.listener.connected) this.tenants.set(subject.accountId, loaded, epoch);
    return loaded;
  }

  /** Outside a request: a short tenant transaction that also learns the plan tier. */
  private lookupTenant(accountId: string): Promise<TenantFlags> {
    return this.options.knex.transaction(async (trx) => {
      const entry = await enterTenant(trx, accountId, null);
      if (!entry) return { overrides: new Map() };
      return { overrides: await loadOverrides(trx), planTier: entry.tenant.planTier };
    });
  }

  private onNotify(payload: string): void {
    let message: { scope?: string; accountId?: string };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      return this.resync();
    }
    if (message.scope === 'tenant' && message.accountId) this.tenants.invalidate(message.accountId);
    else this.backgroundReload();
  }

  private resync(): void {
    this.tenants.clear();
    this.backgroundReload();
  }

  private backgroundReload(): void {
    this.reloadDefinitions().catch((err: unknown) => this.options.logger.warn({ err }, 'reloading flag definitions failed; keeping the previous ones'));
  }
}
