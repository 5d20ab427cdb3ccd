import type { InstalledPlugin, PermissionDeclaration, PluginCatalog } from '@markettina/sdk';
import { KERNEL_PERMISSIONS } from '../http/kernel-permissions.js';
import type { Registration } from './registration.js';

/** `coreServices.plugins`: the deployment's installed plugins, fixed at boot. */
export class InstalledPlugins implements PluginCatalog {
  private readonly list: InstalledPlugin[];
  private readonly all: PermissionDeclaration[];

  constructor(registrations: Registration[]) {
    this.list = registrations.map((r) => ({
      id: r.id,
      version: r.manifest.version,
      description: r.manifest.description ?? null,
      enabledByDefault: r.manifest.enabledByDefault ?? false,
      permissions: structuredClone(r.manifest.permissions ?? []),
      schemas: structuredClone({ tenantSettings: r.schemas.tenantSettings, tenantSecrets: r.schemas.tenantSecrets }),
    }));
    this.all = [...structuredClone(KERNEL_PERMISSIONS), ...this.list.flatMap((p) => p.permissions)];
  }

  installed(): InstalledPlugin[] {
    return structuredClone(this.list);
  }

  permissions(): PermissionDeclaration[] {
    return structuredClone(this.all);
  }
}

/** Permissions only platform administrators may hold (see PermissionDeclaration.platform). */
export const platformPermissions = (registrations: Registration[]): Set<string> =>
  new Set([...KERNEL_PERMISSIONS, ...registrations.flatMap((r) => r.manifest.permissions ?? [])].filter((p) => p.platform).map((p) => p.id));
