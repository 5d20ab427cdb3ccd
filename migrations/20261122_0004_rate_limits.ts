import type { Knex } from 'knex';
import { enableTenantRls } from '@markettina/sdk';

/**
 * Rate-limit budgets (GCRA). A budget belongs to a tenant, so the table is a tenant table
 * like any other: `account_id` leads the key and RLS is forced. A budget's whole state is
 * its theoretical arrival time `tat`; a row whose `tat` has passed is a full budget, which
 * is why the sweep may delete it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table rate_limits (
      account_id uuid not null references accounts (id) on delete cascade,
      bucket text not null check (length(bucket) between 1 and 200),
      tat timestamptz not null,
      primary key (account_id, bucket)
    )`);
  await enableTenantRls(knex, 'rate_limits');
  await knex.raw(`
    -- The sweep runs as the owner (SECURITY DEFINER); a delete with a WHERE clause also needs read access.
    create policy sweep_read on rate_limits for select using ((select kernel_is_owner('rate_limits')));
    create policy sweep on rate_limits for delete using ((select kernel_is_owner('rate_limits')));

    -- One GCRA step for (p_account, p_bucket). The decision and the write are the single
    -- INSERT .. ON CONFLICT DO UPDATE .. WHERE below: the conflicting row is locked, so
    -- concurrent steps from any number of nodes serialise on it and can never overspend.
    -- A refused step writes nothing; its TAT is read afterwards only to report a retry time.
    -- The database clock is the one clock every node shares.
    create function kernel_rate_limit_take(p_account uuid, p_bucket text, p_interval_ms float8, p_burst integer, p_cost integer)
    returns table (allowed boolean, tat_ms float8, now_ms float8)
    language plpgsql volatile as $$
    declare
      v_tenant text := current_setting('app.current_account_id', true);
      v_now timestamptz := clock_timestamp();
      v_step interval := make_interval(secs => p_interval_ms * p_cost / 1000.0);
      v_tolerance interval := make_interval(secs => p_interval_ms * p_burst / 1000.0);
      v_tat timestamptz;
      v_allowed boolean := true;
    begin
      if p_cost < 1 or p_cost > p_burst then
        raise exception 'rate limit cost % must be between 1 and the burst %', p_cost, p_burst;
      end if;
      perform set_config('app.current_account_id', p_account::text, true);
      -- Every step of one budget waits for the previous step's row lock, which is held until
      -- commit; not waiting for the WAL flush shortens that queue. A crash can lose only the
      -- last few steps, which forgives a few requests: an acceptable price for a limiter.
      perform set_config('synchronous_commit', 'off', true);
      insert into rate_limits as rl (account_id, bucket, tat)
      values (p_account, p_bucket, v_now + v_step)
      on conflict (account_id, bucket) do update
        set tat = greatest(rl.tat, v_now) + v_step
        where greatest(rl.tat, v_now) + v_step - v_tolerance <= v_now
      returning rl.tat into v_tat;
      if not found then
        v_allowed := false;
        select rl.tat into v_tat from rate_limits rl where rl.account_id = p_account and rl.bucket = p_bucket;
      end if;
      perform set_config('app.current_account_id', coalesce(v_tenant, ''), true);
      return query select v_allowed, extract(epoch from v_tat)::float8 * 1000, extract(epoch from v_now)::float8 * 1000;
    end $$;

    -- Cross-tenant maintenance: forgets budgets that are full again.
    create function kernel_sweep_rate_limits() returns integer
    language plpgsql volatile security definer set search_path = public, pg_temp as $$
    declare v_count integer;
    begin
      delete from rate_limits where tat < clock_timestamp();
      get diagnostics v_count = row_count;
      return v_count;
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function kernel_sweep_rate_limits();
    drop function kernel_rate_limit_take(uuid, text, float8, integer, integer);
    drop table rate_limits;
  `);
}
