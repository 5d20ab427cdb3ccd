import { randomBytes } from 'node:crypto';
import type { Logger, StartContext, TenancyService } from '@markettina/sdk';
import type { IdentityConfig } from '../config.js';
import type { AccountOps } from './accounts.js';
import type { Admins } from './admins.js';
import type { ApiKeyStore } from './api-keys.js';
import type { Platform } from './platform.js';

export interface DemoCredentials {
  accountId: string;
  apiKey: string;
  user: { email: string; password: string };
  admin: { email: string; password: string; totpUri: string };
}

/** Whether this start should make sure a demo tenant exists. */
export const demoWanted = (mode: IdentityConfig['demoTenant'], ctx: Pick<StartContext, 'embeddedDatabase'>): boolean =>
  mode === 'always' || (mode === 'embedded' && ctx.embeddedDatabase);

const password = () => `demo-${randomBytes(12).toString('base64url')}`;

/**
 * On a fresh deployment (by default only one running on the embedded database), creates a
 * demo tenant with an owner, an API key holding all of the tenant's permissions, and a
 * platform administrator, and prints their credentials once. They exist nowhere else in
 * clear text; the next start finds the demo tenant and prints nothing.
 */
export class DemoBootstrap {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly platform: Platform,
    private readonly accounts: AccountOps,
    private readonly apiKeys: ApiKeyStore,
    private readonly admins: Admins,
    private readonly mode: IdentityConfig['demoTenant'],
  ) {}

  /** Creates the demo tenant unless one exists; returns its credentials the one time it does. */
  async ensure(): Promise<DemoCredentials | undefined> {
    return this.tenancy.withoutTenant((db) =>
      this.platform.onceForDemo(db, async () => {
        const user = { email: 'owner@demo.example', password: password() };
        const { account } = await this.accounts.create(db, { name: 'Demo', planTier: 'pro', owner: { ...user, displayName: 'Demo owner' } });
        const { key } = await this.tenancy.withTenant(account.id, (sp) => this.apiKeys.create(sp, account.id, { name: 'Demo admin key', scopes: ['*'] }), { within: db });
        const adminLogin = { email: 'admin@demo.example', password: password() };
        // In a savepoint: an administrator with this email may already exist, and that must not undo the demo tenant.
        const admin = await db.transaction((sp) => this.admins.create(sp, { ...adminLogin, displayName: 'Demo platform admin' })).catch(() => undefined);
        return {
          accountId: account.id,
          result: { accountId: account.id, apiKey: key, user, admin: { ...adminLogin, totpUri: admin?.totp.uri ?? '(an administrator with this email already existed)' } },
        };
      }),
    );
  }

  async run(ctx: Pick<StartContext, 'embeddedDatabase'>, logger: Logger): Promise<void> {
    if (!demoWanted(this.mode, ctx)) return;
    const demo = await this.ensure();
    if (!demo) return;
    // One line each: with JSON logs, a line is what a terminal shows whole.
    const lines = [
      'Demo tenant created. Its credentials are shown this once:',
      `API key (all tenant permissions): ${demo.apiKey}`,
      `try: curl -H "Authorization: Bearer ${demo.apiKey}" http://127.0.0.1:3000/v1/identity/me`,
      `owner login: account ${demo.accountId}, ${demo.user.email} / ${demo.user.password}`,
      `platform admin: ${demo.admin.email} / ${demo.admin.password}, TOTP ${demo.admin.totpUri}`,
    ];
    for (const line of lines) logger.info({ demoAccountId: demo.accountId }, line);
  }
}
