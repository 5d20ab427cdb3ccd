import { coreServices, createServiceRef, type ServiceContext } from '@markettina/sdk';
import type { IdentityConfig } from '../config.js';
import { AccessTokens } from './access-tokens.js';
import { AccountOps } from './accounts.js';
import { Admins } from './admins.js';
import { ApiKeyStore } from './api-keys.js';
import { AdminAudit } from './audit.js';
import { Authenticator } from './authenticator.js';
import { PermissionCatalog } from './catalog.js';
import { DemoBootstrap } from './demo.js';
import { TrustedDevices } from './devices.js';
import { LoginThrottle } from './login-throttle.js';
import { Platform } from './platform.js';
import { PluginAdmin } from './plugin-admin.js';
import { RoleStore } from './roles.js';
import { Sessions } from './sessions.js';
import { SigningKeys } from './signing-keys.js';
import { UserStore } from './users.js';
import { EmailVerification } from './verification.js';

export type IdentityServices = ReturnType<typeof createIdentityServices>;

/** The plugin's own services, one set per kernel; routes reach them through this ref. */
export const identityInternals = createServiceRef<IdentityServices>({ id: 'identity.internals' });

/** Wires the services from the kernel's. Nothing here does I/O until called. */
export function createIdentityServices(ctx: ServiceContext) {
  const config = ctx.config as unknown as IdentityConfig;
  const tenancy = ctx.get(coreServices.tenancy);
  const secrets = ctx.get(coreServices.secrets);
  const events = ctx.get(coreServices.events);
  const accounts = ctx.get(coreServices.accounts);
  const limiter = ctx.get(coreServices.rateLimits);
  const cost = config.passwordHashing;

  const catalog = new PermissionCatalog(ctx.get(coreServices.plugins));
  const roles = new RoleStore(catalog);
  const users = new UserStore(roles, catalog, events, cost);
  const apiKeys = new ApiKeyStore(catalog);
  const tokens = new AccessTokens(new SigningKeys(tenancy, secrets), config.issuer, config.accessTokenTtlSeconds);
  const devices = new TrustedDevices(config.trustedDeviceTtlSeconds);
  const sessions = new Sessions(tenancy, users, devices, new LoginThrottle(limiter, config.login), tokens, config, cost);
  const platform = new Platform(tenancy, accounts);
  const audit = new AdminAudit(tenancy);
  const admins = new Admins(tenancy, secrets, platform, audit, limiter, config, cost);
  const accountOps = new AccountOps(accounts, tenancy, events, roles, users, tokens);
  const authenticator = new Authenticator(tenancy, accounts, catalog, apiKeys, tokens, admins);
  const verification = new EmailVerification(tenancy);
  const plugins = new PluginAdmin(ctx.get(coreServices.plugins), accounts);
  const demo = new DemoBootstrap(tenancy, platform, accountOps, apiKeys, admins, config.demoTenant);
  return { config, catalog, roles, users, apiKeys, tokens, devices, sessions, platform, audit, admins, accounts: accountOps, plugins, authenticator, verification, demo };
}
