import type { Knex } from 'knex';
import type { FlagRollout, FlagTargetingRule, FlagType, FlagValue } from '@markettina/sdk';
import { enterTenant } from '../tenancy/tenancy.js';
import { checkDeclaration, checkRules, describeValue, flagOwner, valueMatches, type StoredFlag } from './definition.js';
import { flagProblems } from './errors.js';
import type { FlagService } from './service.js';
import { json, toFlag, type FlagRow } from './store.js';

export interface NewFlag {
  key: string;
  description?: string;
  type: FlagType;
  defaultValue: FlagValue;
  enabled?: boolean;
  rollout?: FlagRollout | null;
  targeting?: FlagTargetingRule[];
}

export interface FlagPatch {
  description?: string;
  defaultValue?: FlagValue;
  enabled?: boolean;
  rollout?: FlagRollout | null;
  targeting?: FlagTargetingRule[];
}

/**
 * Operators' changes to flags. Each write commits, then refreshes this node's cache
 * before answering (so the caller reads its own write); other nodes hear the commit's NOTIFY.
 */
export class FlagAdmin {
  constructor(
    private readonly knex: Knex,
    private readonly flags: FlagService,
    /** `kernel` and the installed plugins: the namespaces a flag key may start with. */
    private readonly owners: ReadonlySet<string>,
  ) {}

  async list(limit: number, after?: string): Promise<StoredFlag[]> {
    let q = this.knex<FlagRow>('flag_definitions').select('*').orderBy('key').limit(limit);
    if (after) q = q.where('key', '>', after);
    return (await q).map(toFlag);
  }

  async get(key: string): Promise<StoredFlag> {
    const row = await this.knex<FlagRow>('flag_definitions').where({ key }).first();
    if (!row) throw flagProblems.notFound(key);
    return toFlag(row);
  }

  async create(input: NewFlag): Promise<StoredFlag> {
    const owner = flagOwner(input.key);
    if (!this.owners.has(owner)) throw flagProblems.ownerUnknown(input.key, owner);
    const problem = checkDeclaration(owner, { ...input, description: input.description ?? '', rollout: input.rollout ?? undefined });
    if (problem) throw flagProblems.invalid(problem);
    const [row] = await this.knex<FlagRow>('flag_definitions')
      .insert({
        key: input.key,
        owner,
        origin: 'admin',
        description: input.description ?? '',
        type: input.type,
        default_value: json(input.defaultValue) as never,
        enabled: input.enabled ?? true,
        rollout: json(input.rollout) as never,
        targeting: json(input.targeting ?? []) as never,
      })
      .onConflict('key')
      .ignore()
      .returning('*');
    if (!row) throw flagProblems.exists(input.key);
    await this.flags.reloadDefinitions();
    return toFlag(row);
  }

  async update(key: string, patch: FlagPatch): Promise<StoredFlag> {
    const row = await this.knex.transaction(async (trx) => {
      const current = await trx<FlagRow>('flag_definitions').where({ key }).forUpdate().first();
      if (!current) throw flagProblems.notFound(key);
      if (current.origin === 'declared' && patch.defaultValue !== undefined) throw flagProblems.declaredInCode(key, 'default value');
      if (patch.defaultValue !== undefined && !valueMatches(current.type, patch.defaultValue)) {
        throw flagProblems.invalid(`flag "${key}" is a ${current.type} flag, but defaultValue is ${describeValue(patch.defaultValue)}`);
      }
      const rollout = patch.rollout === undefined ? current.rollout : patch.rollout;
      const targeting = patch.targeting ?? current.targeting;
      const problem = checkRules(current.type, rollout, targeting);
      if (problem) throw flagProblems.invalid(`flag "${key}": ${problem}`);
      const [updated] = await trx<FlagRow>('flag_definitions')
        .where({ key })
        .update({
          description: patch.description ?? current.description,
          default_value: json(patch.defaultValue ?? current.default_value) as never,
          enabled: patch.enabled ?? current.enabled,
          rollout: json(rollout) as never,
          targeting: json(targeting) as never,
          updated_at: trx.fn.now() as never,
        })
        .returning('*');
      return updated!;
    });
    await this.flags.reloadDefinitions();
    return toFlag(row);
  }

  async remove(key: string): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const current = await trx<FlagRow>('flag_definitions').where({ key }).forUpdate().first();
      if (!current) throw flagProblems.notFound(key);
      if (current.origin === 'declared') throw flagProblems.declaredInCode(key, 'existence');
      await trx('flag_definitions').where({ key }).delete();
    });
    await this.flags.reloadDefinitions();
  }

  /** Sets one tenant's value of a flag, in a transaction bound to that tenant. */
  async setOverride(accountId: string, key: string, value: unknown): Promise<{ accountId: string; key: string; value: FlagValue }> {
    const flag = await this.get(key);
    if (!valueMatches(flag.type, value)) throw flagProblems.valueInvalid(`flag "${key}" is a ${flag.type} flag, but the value is ${describeValue(value)}`);
    await this.inTenant(accountId, (trx) =>
      trx('flag_overrides')
        .insert({ account_id: accountId, flag_key: key, value: json(value), updated_at: trx.fn.now() })
        .onConflict(['account_id', 'flag_key'])
        .merge(),
    );
    this.flags.invalidateTenant(accountId);
    return { accountId, key, value };
  }

  async clearOverride(accountId: string, key: string): Promise<void> {
    await this.get(key);
    await this.inTenant(accountId, (trx) => trx('flag_overrides').where({ flag_key: key }).delete());
    this.flags.invalidateTenant(accountId);
  }

  private inTenant<T>(accountId: string, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.knex.transaction(async (trx) => {
      if (!(await enterTenant(trx, accountId, null))) throw flagProblems.accountNotFound(accountId);
      return fn(trx);
    });
  }
}
