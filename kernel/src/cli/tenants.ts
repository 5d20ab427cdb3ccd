import { PLAN_TIERS, type AccountRecord, type PlanTier } from '@markettina/sdk';
import { JSON_OPTION, UsageError, type Command } from './command.js';
import { formatTable, json } from './output.js';
import { withKernel } from './session.js';
import { findTenant } from './tenant-ref.js';

export function parsePlan(value: string | undefined): PlanTier | undefined {
  if (value === undefined) return undefined;
  if (!(PLAN_TIERS as readonly string[]).includes(value)) throw new UsageError(`--plan must be one of ${PLAN_TIERS.join(', ')}`);
  return value as PlanTier;
}

export function tenantsTable(accounts: AccountRecord[]): string {
  return formatTable(
    ['ID', 'NAME', 'PLAN', 'STATUS', 'PARENT', 'CREATED'],
    accounts.map((a) => [a.id, a.name, a.planTier, a.status, a.parentId ?? '-', a.createdAt]),
    'no tenants yet; create one with: markettina tenants create <name>',
  );
}

const create: Command = {
  name: 'tenants create',
  synopsis: '<name> [--plan <tier>] [--parent <tenant>] [--json]',
  summary: `create a tenant (plan: ${PLAN_TIERS.join(', ')}; default free)`,
  options: { plan: { type: 'string' }, parent: { type: 'string' }, ...JSON_OPTION },
  args: { min: 1, max: 1 },
  async run(input) {
    const { args, values, io } = input;
    const name = args[0]!.trim();
    if (name.length < 1 || name.length > 200) throw new UsageError('a tenant name has 1 to 200 characters');
    const planTier = parsePlan(values.plan as string | undefined);
    const account = await withKernel(input, async (kernel) => {
      const parent = values.parent ? await findTenant(kernel, values.parent as string) : undefined;
      return kernel.accounts.create({ name, planTier, parentId: parent?.id ?? null });
    });
    if (values.json) io.out(json(account));
    else io.out(`created tenant ${account.id} "${account.name}" (plan ${account.planTier}${account.parentId ? `, parent ${account.parentId}` : ''})`);
  },
};

const list: Command = {
  name: 'tenants list',
  synopsis: '[--json]',
  summary: 'list every tenant',
  options: { ...JSON_OPTION },
  args: { min: 0, max: 0 },
  async run(input) {
    const accounts = await withKernel(input, (kernel) => kernel.accounts.list());
    input.io.out(input.values.json ? json(accounts) : tenantsTable(accounts));
  },
};

export const tenantCommands = [create, list];
