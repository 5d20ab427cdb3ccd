import type { Knex } from 'knex';
import type { FlagDeclaration, FlagRollout, FlagTargetingRule, FlagType, FlagValue } from '@markettina/sdk';
import type { StoredFlag } from './definition.js';
import type { FlagOverride } from './evaluate.js';

/** SQL of the flags service. Values go to jsonb as JSON text: pg would send a bare string unquoted. */

export interface FlagRow {
  key: string;
  owner: string;
  origin: StoredFlag['origin'];
  description: string;
  type: FlagType;
  default_value: FlagValue;
  enabled: boolean;
  rollout: FlagRollout | null;
  targeting: FlagTargetingRule[];
  updated_at: Date;
}

export const toFlag = (r: FlagRow): StoredFlag => ({
  key: r.key,
  owner: r.owner,
  origin: r.origin,
  description: r.description,
  type: r.type,
  defaultValue: r.default_value,
  enabled: r.enabled,
  rollout: r.rollout,
  targeting: r.targeting,
  updatedAt: r.updated_at.toISOString(),
});

export const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

export async function loadDefinitions(knex: Knex): Promise<Map<string, StoredFlag>> {
  const rows = await knex<FlagRow>('flag_definitions').select('*').orderBy('key');
  return new Map(rows.map((r) => [r.key, toFlag(r)]));
}

/**
 * Writes the flags declared in code, in one statement. Code owns a declared flag's type,
 * description and default; operators own its rollout and targeting, which are kept unless
 * the type changed (old rule values would no longer fit). Unchanged rows are not touched,
 * so a restart notifies nobody.
 */
export async function syncDeclared(knex: Knex, declared: FlagDeclaration[]): Promise<void> {
  if (declared.length === 0) return;
  const rows = declared.map((f) => ({
    key: f.key,
    description: f.description,
    type: f.type,
    default_value: f.defaultValue,
    rollout: f.rollout ?? null,
    targeting: f.targeting ?? [],
  }));
  await knex.raw(
    `insert into flag_definitions as f (key, owner, origin, description, type, default_value, rollout, targeting)
     select d.key, split_part(d.key, '.', 1), 'declared', d.description, d.type, d.default_value, nullif(d.rollout, 'null'::jsonb), d.targeting
     from jsonb_to_recordset(?::jsonb) as d (key text, description text, type text, default_value jsonb, rollout jsonb, targeting jsonb)
     on conflict (key) do update set
       origin = 'declared',
       description = excluded.description,
       type = excluded.type,
       default_value = excluded.default_value,
       rollout = case when f.type = excluded.type then f.rollout else excluded.rollout end,
       targeting = case when f.type = excluded.type then f.targeting else excluded.targeting end,
       updated_at = now()
     where (f.origin, f.description, f.type, f.default_value)
       is distinct from ('declared', excluded.description, excluded.type, excluded.default_value)`,
    [JSON.stringify(rows)],
  );
}

/** The current tenant's overrides; `db` must already be bound to the tenant (RLS does the filtering). */
export async function loadOverrides(db: Knex.Transaction): Promise<Map<string, FlagOverride>> {
  const rows = await db<{ flag_key: string; value: unknown }>('flag_overrides').select('flag_key', 'value');
  return new Map(rows.map((r) => [r.flag_key, { value: r.value }]));
}
