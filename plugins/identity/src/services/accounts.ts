import type { Knex } from 'knex';
import { problems, type AccountRecord, type AccountsService, type EventBus, type PlanTier, type Principal, type TenancyService } from '@markettina/sdk';
import { EVENTS } from '../contracts.js';
import type { AccessTokens } from './access-tokens.js';
import type { RoleStore } from './roles.js';
import type { UserOut, UserStore } from './users.js';

export interface AccountView {
  id: string;
  name: string;
  planTier: PlanTier;
  status: AccountRecord['status'];
  parentId: string | null;
  createdAt: string;
}

export const accountView = (a: AccountRecord): AccountView => ({ id: a.id, name: a.name, planTier: a.planTier, status: a.status, parentId: a.parentId, createdAt: a.createdAt });

export interface NewAccountInput {
  name: string;
  planTier: PlanTier;
  parentId?: string | null;
  /** The account's first user, made super admin. */
  owner?: { email: string; password?: string; displayName?: string };
}

/**
 * Accounts as identity sees them: the kernel's accounts plus their events, their first
 * user, and the explicit, audited switch from a parent into one of its sub-accounts. All
 * of it joins the caller's transaction, so the effects and the events commit together.
 */
export class AccountOps {
  constructor(
    private readonly accounts: AccountsService,
    private readonly tenancy: TenancyService,
    private readonly events: EventBus,
    private readonly roles: RoleStore,
    private readonly users: UserStore,
    private readonly tokens: AccessTokens,
  ) {}

  async create(db: Knex.Transaction, input: NewAccountInput): Promise<{ account: AccountView; owner?: UserOut }> {
    const account = await this.accounts.create({ name: input.name, planTier: input.planTier, parentId: input.parentId ?? null }, db);
    const owner = await this.tenancy.withTenant(
      account.id,
      async (sp) => {
        await this.events.publish(sp, {
          type: EVENTS.accountCreated,
          aggregateId: account.id,
          subject: `accounts/${account.id}`,
          data: { accountId: account.id, name: account.name, planTier: account.planTier, parentId: account.parentId, createdAt: account.createdAt },
        });
        if (!input.owner) return undefined;
        await this.roles.ensureBuiltins(sp, account.id);
        const role = (await this.roles.rowByKey(sp, 'super_admin'))!;
        return this.users.create(sp, account.id, { ...input.owner, roleId: role.id }, ['*']);
      },
      { within: db },
    );
    return { account: accountView(account), ...(owner ? { owner } : {}) };
  }

  async get(db: Knex.Transaction, accountId: string): Promise<AccountView> {
    const account = await this.accounts.get(accountId, db);
    if (!account) throw problems.notFound('account');
    return accountView(account);
  }

  async children(db: Knex.Transaction, parentId: string): Promise<AccountView[]> {
    return (await this.accounts.children(parentId, db)).map(accountView);
  }

  async setPlan(db: Knex.Transaction, accountId: string, planTier: PlanTier): Promise<AccountView> {
    const { before, after } = await this.accounts.setPlan(accountId, planTier, db);
    if (before.planTier !== after.planTier) {
      await this.tenancy.withTenant(
        accountId,
        (sp) => this.events.publish(sp, { type: EVENTS.accountPlanChanged, aggregateId: accountId, subject: `accounts/${accountId}`, data: { accountId, from: before.planTier, to: after.planTier } }),
        { within: db },
      );
    }
    return accountView(after);
  }

  /**
   * A parent's principal acting in one of its direct sub-accounts: a short-lived access
   * token for the child, recorded in both accounts. Only the principal's own credential
   * (a user's session or an API key) of the parent can do it, never a switched token.
   */
  async switchTo(db: Knex.Transaction, principal: Principal, childId: string, sessionId: string | undefined): Promise<{ accessToken: string; expiresIn: number; account: AccountView }> {
    const child = await this.accounts.get(childId, db);
    if (!child || child.parentId !== principal.accountId) throw problems.notFound('account');
    if (principal.type !== 'user' && principal.type !== 'api_key') throw problems.forbidden('only a user or an API key of the parent account can switch', 'SWITCH_NOT_ALLOWED');
    const table = principal.type === 'user' ? 'identity_users' : 'identity_api_keys';
    if (!(await db(table).where({ id: principal.id }).first('id'))) throw problems.forbidden('switch from a credential of the parent account itself', 'SWITCH_NOT_ALLOWED');
    const record = (accountId: string, direction: string, other: string) => ({ account_id: accountId, direction, other_account_id: other, actor_id: principal.id, actor_type: principal.type });
    await db('identity_account_switches').insert(record(principal.accountId, 'to_child', child.id));
    await this.tenancy.withTenant(child.id, (sp) => sp('identity_account_switches').insert(record(child.id, 'from_parent', principal.accountId)), { within: db });
    const access = await this.tokens.issue({ sub: principal.id, pty: principal.type, acc: child.id, pac: principal.accountId, ...(sessionId ? { sid: sessionId } : {}) });
    return { accessToken: access.token, expiresIn: access.expiresIn, account: accountView(child) };
  }
}
