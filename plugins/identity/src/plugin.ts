import { coreServices, definePlugin } from '@markettina/sdk';
import { deploymentSchema } from './config.js';
import { EVENT_SCHEMAS, IDENTITY_PLUGIN_ID, identityServices, PERMISSION_DECLARATIONS } from './contracts.js';
import { migrations } from './migrations/index.js';
import { identityRoutes } from './routes/index.js';
import { createIdentityServices, identityInternals } from './services/index.js';
import { normalizeEmail } from './domain/email.js';
import pkg from '../package.json' with { type: 'json' };

/**
 * Identity: accounts and sub-accounts, users and roles, API keys, sessions with rotating
 * refresh tokens, platform administrators with TOTP and an audit log, and per-tenant plugin
 * administration. It implements the kernel's authentication port.
 */
export const identityPlugin = definePlugin({
  manifest: {
    id: IDENTITY_PLUGIN_ID,
    version: pkg.version,
    kernel: '^1.0.0',
    description: 'Accounts, users, roles, API keys, sessions, platform administrators, plugin administration',
    provides: [coreServices.authentication, identityInternals, identityServices.users],
    permissions: PERMISSION_DECLARATIONS,
    // Every account needs identity: it is how its people and keys get in.
    enabledByDefault: true,
  },
  register(reg) {
    reg.config({ deployment: deploymentSchema });
    reg.migrations(migrations);
    reg.provide(identityInternals, (ctx) => createIdentityServices(ctx));
    reg.provide(coreServices.authentication, (ctx) => ctx.get(identityInternals).authenticator);
    reg.provide(identityServices.users, (ctx) => {
      const users = ctx.get(identityInternals).users;
      return {
        get: async (id) => users.get(ctx.db, id).catch(() => undefined),
        findByEmail: async (email) => {
          const found = await users.findByEmail(ctx.db, normalizeEmail(email));
          if (!found) return undefined;
          const { passwordHash: _hidden, ...shown } = found;
          return shown;
        },
      };
    });
    reg.routes(identityRoutes);
    for (const [type, schema] of Object.entries(EVENT_SCHEMAS)) reg.publishes({ type, schema });
    reg.onTenantEnabled(async (ctx) => ctx.get(identityInternals).roles.ensureBuiltins(ctx.db, ctx.tenant.accountId));
    reg.onStart(async (ctx) => ctx.get(identityInternals).demo.run(ctx, ctx.logger));
  },
});

export default identityPlugin;
