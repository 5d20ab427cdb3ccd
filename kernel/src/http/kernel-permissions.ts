import type { PermissionDeclaration } from '@markettina/sdk';

/** The owner id under which the kernel mounts its own routes (`/v1/kernel/...`, `/ofrep/...`). */
export const KERNEL_OWNER = 'kernel';

/**
 * Permissions of the kernel's own routes. Routes may use these as well as those plugins
 * declare; grant `kernel.*` for all of them.
 */
export const KERNEL_PERMISSIONS: PermissionDeclaration[] = [
  { id: 'kernel.events:admin', description: "Inspect the account's event deliveries and replay dead ones" },
  { id: 'kernel.flags:admin', description: 'Define feature flags and set or clear tenant overrides' },
  { id: 'kernel.flags:evaluate', description: "Evaluate feature flags for the caller's own account (OFREP)" },
];
