import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import { FlagAdmin } from './admin.js';
import { flagAdminRoutes } from './admin-routes.js';
import { ofrepErrorHandler, ofrepRoutes } from './ofrep-routes.js';
import type { FlagService } from './service.js';

export { FlagService, FLAGS_CHANNEL, type FlagServiceOptions } from './service.js';
export { FlagAdmin } from './admin.js';
export { KernelFlagProvider } from './openfeature-provider.js';
export { rolloutBucket } from './bucket.js';
export { evaluateFlag } from './evaluate.js';
export { checkDeclaration, type StoredFlag } from './definition.js';

export interface FlagRoutesDeps {
  knex: Knex;
  flags: FlagService;
  /** `kernel` and the installed plugin ids: the namespaces flag keys may use. */
  owners: ReadonlySet<string>;
  /** Applies the kernel's route policy (auth, permission, tenant transaction) to a scope. */
  policy(scope: FastifyInstance): void;
}

/** Mounts the flags admin API under `/v1/kernel` and OFREP under `/ofrep/v1`. */
export async function registerFlagRoutes(app: FastifyInstance, deps: FlagRoutesDeps): Promise<void> {
  const admin = new FlagAdmin(deps.knex, deps.flags, deps.owners);
  await app.register(
    async (scope) => {
      deps.policy(scope);
      await scope.register(flagAdminRoutes(admin));
    },
    { prefix: '/v1/kernel' },
  );
  await app.register(
    async (scope) => {
      scope.setErrorHandler(ofrepErrorHandler);
      deps.policy(scope);
      await scope.register(ofrepRoutes(deps.flags));
    },
    { prefix: '/ofrep/v1' },
  );
}
