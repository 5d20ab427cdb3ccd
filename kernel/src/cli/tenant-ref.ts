import type { AccountRecord } from '@markettina/sdk';
import type { Kernel } from '../kernel.js';
import { CliError } from './command.js';

/** A `<tenant>` argument is an account id or an exact tenant name. */
export function pickTenant(accounts: AccountRecord[], ref: string): AccountRecord {
  const byId = accounts.find((a) => a.id === ref.toLowerCase());
  if (byId) return byId;
  const named = accounts.filter((a) => a.name === ref);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new CliError('TENANT_AMBIGUOUS', `${named.length} tenants are named "${ref}"; use an id: ${named.map((a) => a.id).join(', ')}`);
  }
  throw new CliError('TENANT_NOT_FOUND', `no tenant has the id or name "${ref}"; see: markettina tenants list`);
}

export async function findTenant(kernel: Kernel, ref: string): Promise<AccountRecord> {
  return pickTenant(await kernel.accounts.list(), ref);
}
