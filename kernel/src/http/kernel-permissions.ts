import type { PermissionDeclaration } from '@markettina/sdk';

/** The owner id under which the kernel mounts its own routes (`/v1/kernel/...`, `/ofrep/...`). */
export const KERNEL_OWNER = 'kernel';

/**
 * Permissions of the kernel's own routes. Routes may use these as well as those plugins
 * declare; grant `kernel.*` for all of them (platform permissions still need a platform admin).
 */
export const KERNEL_PERMISSIONS: PermissionDeclaration[] = [
  { id: 'kernel.events:admin', description: "Inspect the account's event deliveries and replay dead ones" },
  // Flag definitions are deployment-wide: only platform administrators may change them.
  { id: 'kernel.flags:admin', description: 'Define feature flags and set or clear tenant overrides', platform: true },
  { id: 'kernel.flags:evaluate', description: "Evaluate feature flags for the caller's own account (OFREP)" },
];
