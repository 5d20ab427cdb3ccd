import type { PluginDefinition } from '@markettina/sdk';
import { PluginError } from '@markettina/sdk';
import type { PluginEntry } from '../config/types.js';
import { assertPluginShape } from './validate.js';

export interface PluginSource {
  definition: PluginDefinition;
  packageName: string;
  config: Record<string, unknown>;
}

/** Imports the installed plugin packages named in the deployment config. */
export async function importPlugins(entries: PluginEntry[]): Promise<PluginSource[]> {
  const out: PluginSource[] = [];
  for (const entry of entries) {
    let mod: { default?: unknown };
    try {
      mod = (await import(entry.package)) as { default?: unknown };
    } catch (err) {
      throw new PluginError(
        'PLUGIN_NOT_INSTALLED',
        `cannot load plugin package "${entry.package}": ${(err as Error).message}; run "npm install ${entry.package}" or remove it from "plugins"`,
      );
    }
    assertPluginShape(mod.default, entry.package);
    out.push({ definition: mod.default, packageName: entry.package, config: structuredClone(entry.config) });
  }
  return out;
}
