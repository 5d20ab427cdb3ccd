import pg from 'pg';

export interface SchemaViolation {
  table: string;
  problem: string;
}

const QUERY = `
with tenant_tables as (
  select c.oid, c.relname, c.relrowsecurity, c.relforcerowsecurity
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attname = 'account_id' and not a.attisdropped
  where n.nspname = 'public' and c.relkind in ('r', 'p')
    and not c.relispartition
)
select t.relname as table,
       t.relrowsecurity as rls,
       t.relforcerowsecurity as forced,
       exists (
         select 1 from pg_policy p
         where p.polrelid = t.oid
           and p.polcmd = '*'
           and pg_get_expr(p.polqual, p.polrelid) = '(account_id = (NULLIF(current_setting(''app.current_account_id''::text, true), ''''::text))::uuid)'
           and pg_get_expr(p.polwithcheck, p.polrelid) = pg_get_expr(p.polqual, p.polrelid)
       ) as policy,
       coalesce((
         select json_agg(json_build_object('name', con.conname, 'type', con.contype, 'first', (
                  select attname from pg_attribute where attrelid = t.oid and attnum = con.conkey[1])))
         from pg_constraint con where con.conrelid = t.oid and con.contype in ('p', 'u')
       ), '[]') as keys,
       coalesce((
         select json_agg(json_build_object('name', ic.relname, 'first', (
                  select attname from pg_attribute where attrelid = t.oid and attnum = i.indkey[0])))
         from pg_index i join pg_class ic on ic.oid = i.indexrelid
         where i.indrelid = t.oid and i.indisunique
           and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid)
       ), '[]') as unique_indexes,
       coalesce((
         select json_agg(json_build_object('name', con.conname, 'target', tc.relname, 'cols', (
                  select json_agg(attname) from pg_attribute where attrelid = t.oid and attnum = any(con.conkey))))
         from pg_constraint con join pg_class tc on tc.oid = con.confrelid
         where con.conrelid = t.oid and con.contype = 'f'
           and exists (select 1 from pg_attribute ta where ta.attrelid = con.confrelid and ta.attname = 'account_id')
       ), '[]') as tenant_fks
from tenant_tables t
order by t.relname`;

interface Row {
  table: string;
  rls: boolean;
  forced: boolean;
  policy: boolean;
  keys: { name: string; type: 'p' | 'u'; first: string }[];
  unique_indexes: { name: string; first: string }[];
  tenant_fks: { name: string; target: string; cols: string[] }[];
}

/**
 * DESIGN §3 as a check: every table with `account_id` has RLS enabled and forced, the
 * tenant policy, `account_id` leading its primary key and every unique constraint or
 * index, and foreign keys to other tenant tables that include `account_id`.
 */
export async function checkTenantSchema(ownerUrl: string): Promise<SchemaViolation[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Row>(QUERY);
    const out: SchemaViolation[] = [];
    for (const r of rows) {
      const add = (problem: string) => out.push({ table: r.table, problem });
      if (!r.rls) add('row level security is not enabled');
      if (!r.forced) add('row level security is not forced');
      if (!r.policy) add('no policy on account_id = current tenant');
      if (!r.keys.some((k) => k.type === 'p')) add('has no primary key');
      for (const k of r.keys) if (k.first !== 'account_id') add(`${k.type === 'p' ? 'primary key' : 'unique constraint'} ${k.name} does not start with account_id`);
      for (const i of r.unique_indexes) if (i.first !== 'account_id') add(`unique index ${i.name} does not start with account_id`);
      for (const fk of r.tenant_fks) {
        if (fk.target !== 'accounts' && !fk.cols.includes('account_id')) add(`foreign key ${fk.name} to ${fk.target} does not include account_id`);
      }
    }
    return out;
  } finally {
    await client.end();
  }
}
