import type { FastifyPluginAsync } from 'fastify';
import { accountRoutes } from './account.js';
import { adminAccountRoutes } from './admin-accounts.js';
import { adminAuditRoutes } from './admin-audit.js';
import { adminPluginRoutes } from './admin-plugins.js';
import { adminSessionRoutes } from './admin-sessions.js';
import { adminUserRoutes } from './admin-users.js';
import { apiKeyRoutes } from './api-keys.js';
import { meRoutes } from './me.js';
import { roleRoutes } from './roles.js';
import { sessionRoutes } from './sessions.js';
import { userRoutes } from './users.js';

/** Every route of the plugin, mounted by the kernel under `/v1/identity`. */
export const identityRoutes: FastifyPluginAsync = async (app) => {
  for (const routes of [meRoutes, accountRoutes, userRoutes, roleRoutes, apiKeyRoutes, sessionRoutes, adminSessionRoutes, adminUserRoutes, adminAccountRoutes, adminPluginRoutes, adminAuditRoutes]) {
    await app.register(routes);
  }
};
