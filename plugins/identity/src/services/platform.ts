import type { Knex } from 'knex';
import type { AccountsService, TenancyService } from '@markettina/sdk';

const LOCK = 'identity.platform';

/**
 * The accounts identity keeps for the platform itself: the operators' account (platform
 * administrators act from it, so kernel policy has a tenant to bind their requests to) and
 * the demo tenant. Both are created once per deployment, under an advisory lock.
 */
export class Platform {
  private operators: string | undefined;

  constructor(
    private readonly tenancy: TenancyService,
    private readonly accounts: AccountsService,
  ) {}

  async operatorsAccount(): Promise<string | undefined> {
    if (this.operators) return this.operators;
    const row = await this.tenancy.withoutTenant((db) => db('identity_platform').first<{ platform_account: string | null }>('platform_account'));
    this.operators = row?.platform_account ?? undefined;
    return this.operators;
  }

  /** The operators' account, created in `db` if the deployment has none yet. */
  async ensureOperatorsAccount(db: Knex.Transaction): Promise<string> {
    await db.raw('select pg_advisory_xact_lock(hashtext(?))', [LOCK]);
    const row = await db('identity_platform').first<{ platform_account: string | null }>('platform_account');
    if (row?.platform_account) return row.platform_account;
    const account = await this.accounts.create({ name: 'Platform operators', planTier: 'enterprise' }, db);
    await db('identity_platform').update({ platform_account: account.id, updated_at: db.fn.now() });
    return account.id;
  }

  /** Runs `fn` once per deployment (under the lock) if no demo tenant exists yet. */
  async onceForDemo<T>(db: Knex.Transaction, fn: () => Promise<{ accountId: string; result: T }>): Promise<T | undefined> {
    await db.raw('select pg_advisory_xact_lock(hashtext(?))', [LOCK]);
    const row = await db('identity_platform').first<{ demo_account: string | null }>('demo_account');
    if (row?.demo_account) return undefined;
    const { accountId, result } = await fn();
    await db('identity_platform').update({ demo_account: accountId, updated_at: db.fn.now() });
    return result;
  }
}
