import type { PluginCatalog } from '@markettina/sdk';
import { BUILTIN_ROLES, isBuiltinRole } from '../domain/roles.js';
import { resolvePermissions, type CatalogPermission } from '../domain/permissions.js';

export interface RoleLike {
  key: string;
  builtin: boolean;
  permissions: readonly string[];
}

/**
 * The permissions installed plugins (and the kernel) declare, and what roles and key
 * scopes resolve to against them. The catalogue is fixed for the life of a node.
 */
export class PermissionCatalog {
  private cached: CatalogPermission[] | undefined;

  constructor(private readonly plugins: PluginCatalog) {}

  all(): CatalogPermission[] {
    this.cached ??= this.plugins.permissions();
    return this.cached;
  }

  /** What tenants may hold: everything but platform permissions. */
  tenantPermissions(): CatalogPermission[] {
    return this.all().filter((p) => !p.platform);
  }

  /** The permissions a role gives its holders right now. */
  ofRole(role: RoleLike): string[] {
    if (role.builtin && isBuiltinRole(role.key)) {
      const def = BUILTIN_ROLES[role.key];
      return resolvePermissions(def.grants, this.all(), 'except' in def ? def.except : []);
    }
    return resolvePermissions(role.permissions, this.all());
  }

  /** The permissions an API key's scopes give it right now. */
  ofScopes(scopes: readonly string[]): string[] {
    return resolvePermissions(scopes, this.all());
  }
}
