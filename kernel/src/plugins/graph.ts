import { PluginError } from '@markettina/sdk';
import type { Registration } from './registration.js';

/** Refs the kernel itself provides; every plugin may use them. */
export const KERNEL_REFS = new Set(['kernel.tenancy', 'kernel.secrets', 'kernel.events', 'kernel.rateLimits', 'kernel.flags', 'kernel.jobs', 'kernel.accounts', 'kernel.plugins', 'kernel.blobs']);
/** Kernel ports a plugin may provide (the kernel consumes them if present). */
export const KERNEL_PORTS = new Set(['kernel.authentication']);

/**
 * Orders plugins so that every provider comes before its users (and an extension point's
 * owner before its extenders). Reports missing refs and cycles by plugin name.
 */
export function orderPlugins(regs: Registration[]): Registration[] {
  const byId = new Map<string, Registration>();
  for (const r of regs) {
    if (byId.has(r.id)) {
      throw new PluginError('PLUGIN_DUPLICATE', `plugin "${r.id}" is installed twice (${byId.get(r.id)!.packageName} and ${r.packageName}); list it once in "plugins"`, r.id);
    }
    byId.set(r.id, r);
  }
  const providerOf = new Map<string, string>();
  const pointOwner = new Map<string, string>();
  for (const r of regs) {
    for (const s of r.services) {
      const other = providerOf.get(s.ref.id);
      if (other) {
        throw new PluginError('PLUGIN_DUPLICATE_PROVIDER', `service "${s.ref.id}" is provided by both "${other}" and "${r.id}"; install only one of them`, r.id);
      }
      if (KERNEL_REFS.has(s.ref.id)) {
        throw new PluginError('PLUGIN_PROVIDES_KERNEL_REF', `plugin "${r.id}" provides "${s.ref.id}", which belongs to the kernel`, r.id);
      }
      providerOf.set(s.ref.id, r.id);
    }
    for (const p of r.extensionPoints) pointOwner.set(p.id, r.id);
  }

  const deps = new Map<string, Set<string>>();
  for (const r of regs) {
    const d = new Set<string>();
    for (const ref of r.manifest.requires ?? []) {
      if (KERNEL_REFS.has(ref.id)) continue;
      const provider = providerOf.get(ref.id);
      if (!provider) {
        throw new PluginError(
          'PLUGIN_MISSING_REF',
          `plugin "${r.id}" requires service "${ref.id}", but no installed plugin provides it; install the plugin that provides "${ref.id}" or remove "${r.id}" from "plugins"`,
          r.id,
        );
      }
      if (provider !== r.id) d.add(provider);
    }
    for (const ref of r.manifest.optional ?? []) {
      const provider = providerOf.get(ref.id);
      if (provider && provider !== r.id) d.add(provider);
    }
    for (const e of r.extensions) {
      const owner = pointOwner.get(e.point.id);
      if (!owner) {
        throw new PluginError(
          'PLUGIN_MISSING_EXTENSION_POINT',
          `plugin "${r.id}" extends "${e.point.id}", but no installed plugin declares that extension point; install its owner plugin`,
          r.id,
        );
      }
      if (owner !== r.id) d.add(owner);
    }
    deps.set(r.id, d);
  }

  const ordered: Registration[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new PluginError('PLUGIN_DEPENDENCY_CYCLE', `plugins depend on each other in a cycle: ${cycle.join(' -> ')}; break it by moving the shared contract into one of them`, id);
    }
    state.set(id, 'visiting');
    for (const dep of [...deps.get(id)!].sort()) visit(dep, [...path, id]);
    state.set(id, 'done');
    ordered.push(byId.get(id)!);
  };
  for (const r of regs) visit(r.id, []);
  return ordered;
}
