import type { Kernel } from '../kernel.js';
import type { Registration } from '../plugins/registration.js';
import { CliError, JSON_OPTION, UsageError, type Command, type CommandInput } from './command.js';
import { formatTable, json } from './output.js';
import { cliConfig, kernelModule, withKernel } from './session.js';
import { findTenant } from './tenant-ref.js';

export interface TenantPluginRow {
  id: string;
  version: string | null;
  installed: boolean;
  enabled: boolean;
  settings: Record<string, unknown>;
}

/** Every installed plugin with the tenant's state, plus states left by plugins no longer installed. */
export function tenantPluginRows(
  installed: { id: string; version: string }[],
  states: { pluginId: string; enabled: boolean; settings: Record<string, unknown> }[],
): TenantPluginRow[] {
  const byId = new Map(states.map((s) => [s.pluginId, s]));
  const rows: TenantPluginRow[] = installed.map((p) => ({
    id: p.id,
    version: p.version,
    installed: true,
    enabled: byId.get(p.id)?.enabled ?? false,
    settings: byId.get(p.id)?.settings ?? {},
  }));
  for (const s of states) {
    if (!installed.some((p) => p.id === s.pluginId)) rows.push({ id: s.pluginId, version: null, installed: false, enabled: s.enabled, settings: s.settings });
  }
  return rows;
}

export function parseSettings(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--settings is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('--settings must be a JSON object, e.g. \'{"maxNotes": 10}\'');
  return value as Record<string, unknown>;
}

const NONE_INSTALLED = 'no plugins installed; add plugin packages to "plugins" in the deployment configuration';

function installedPlugin(kernel: Kernel, pluginId: string): Registration {
  const reg = kernel.host.registration(pluginId);
  if (reg) return reg;
  const ids = kernel.host.plugins.map((p) => p.id);
  throw new CliError(
    'PLUGIN_NOT_INSTALLED',
    `plugin "${pluginId}" is not installed (installed: ${ids.length ? ids.join(', ') : 'none'}); add its package to "plugins" in the deployment configuration`,
  );
}

async function installedList(input: CommandInput): Promise<string> {
  const regs = await (await kernelModule()).resolvePlugins(cliConfig(input));
  const plugins = regs.map((r) => ({ id: r.id, version: r.manifest.version, package: r.packageName, description: r.manifest.description ?? '' }));
  if (input.values.json) return json(plugins);
  return formatTable(['ID', 'VERSION', 'PACKAGE', 'DESCRIPTION'], plugins.map((p) => [p.id, p.version, p.package, p.description]), NONE_INSTALLED);
}

async function tenantList(input: CommandInput, tenantRef: string): Promise<string> {
  const rows = await withKernel(input, async (kernel) => {
    const tenant = await findTenant(kernel, tenantRef);
    const installed = kernel.host.plugins.map((p) => ({ id: p.id, version: p.manifest.version }));
    return tenantPluginRows(installed, await kernel.accounts.pluginStates(tenant.id));
  });
  if (input.values.json) return json(rows);
  const cells = rows.map((r) => [r.id, r.version ?? '(not installed)', r.enabled ? 'yes' : 'no', JSON.stringify(r.settings)]);
  return formatTable(['ID', 'VERSION', 'ENABLED', 'SETTINGS'], cells, NONE_INSTALLED);
}

const list: Command = {
  name: 'plugins list',
  synopsis: '[<tenant>] [--json]',
  summary: 'installed plugins and versions; with a tenant, whether each is enabled for it',
  options: { ...JSON_OPTION },
  args: { min: 0, max: 1 },
  async run(input) {
    // Without a tenant only the deployment config is read: no database needed.
    input.io.out(input.args[0] === undefined ? await installedList(input) : await tenantList(input, input.args[0]));
  },
};

const enable: Command = {
  name: 'plugins enable',
  synopsis: '<tenant> <plugin> [--settings <json>]',
  summary: "enable a plugin for a tenant, optionally replacing the tenant's settings for it",
  options: { settings: { type: 'string' } },
  args: { min: 2, max: 2 },
  async run(input) {
    const [tenantRef, pluginId] = input.args as [string, string];
    const settings = parseSettings(input.values.settings as string | undefined);
    const tenant = await withKernel(input, async (kernel) => {
      installedPlugin(kernel, pluginId);
      const account = await findTenant(kernel, tenantRef);
      await kernel.accounts.setPluginState(account.id, pluginId, { enabled: true, settings });
      return account;
    });
    input.io.out(`enabled ${pluginId} for tenant ${tenant.id} "${tenant.name}"`);
  },
};

const disable: Command = {
  name: 'plugins disable',
  synopsis: '<tenant> <plugin>',
  summary: 'disable a plugin for a tenant (its data and settings are kept)',
  args: { min: 2, max: 2 },
  async run(input) {
    const [tenantRef, pluginId] = input.args as [string, string];
    const tenant = await withKernel(input, async (kernel) => {
      installedPlugin(kernel, pluginId);
      const account = await findTenant(kernel, tenantRef);
      await kernel.accounts.setPluginState(account.id, pluginId, { enabled: false });
      return account;
    });
    input.io.out(`disabled ${pluginId} for tenant ${tenant.id} "${tenant.name}"`);
  },
};

export const pluginCommands = [list, enable, disable];
