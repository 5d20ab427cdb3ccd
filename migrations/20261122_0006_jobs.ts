import type { Knex } from 'knex';
import { enableTenantRls } from '@markettina/sdk';

/**
 * The durable job table and the bookkeeping of scheduled ticks.
 *
 * `jobs` is a tenant table. Workers find due jobs of every tenant through
 * `kernel_claim_jobs`, a SECURITY DEFINER function that answers ids only; the handler then
 * reads the job inside a tenant transaction. A claimed job carries a lease (`locked_until`)
 * and its attempt number, which fences a worker whose lease expired: its final update
 * matches no row, so its transaction rolls back.
 *
 * `kernel_job_slots` remembers the last tick each cluster-scoped schedule ran, so that two
 * nodes firing the same tick run it once. Only the owner (through the definer function)
 * reads or writes it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table jobs (
      account_id uuid not null references accounts (id) on delete cascade,
      id uuid not null default gen_random_uuid(),
      plugin_id text not null,
      type text not null check (length(type) between 1 and 200),
      payload jsonb not null default '{}'::jsonb,
      state text not null default 'queued' check (state in ('queued', 'running', 'succeeded', 'dead')),
      attempts integer not null default 0 check (attempts >= 0),
      max_attempts integer not null default 5 check (max_attempts between 1 and 100),
      run_at timestamptz not null default now(),
      locked_until timestamptz,
      progress smallint not null default 0 check (progress between 0 and 100),
      last_error text,
      result jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (account_id, id)
    );
    create index jobs_due_idx on jobs (run_at, id) where state = 'queued';
    create index jobs_lease_idx on jobs (locked_until) where state = 'running';
  `);
  await enableTenantRls(knex, 'jobs');
  await knex.raw(`
    create policy kernel_claim on jobs using ((select kernel_is_owner('jobs'))) with check ((select kernel_is_owner('jobs')));

    -- Returns expired leases to the queue (or buries them after their last attempt), then
    -- claims up to p_limit due jobs of the given types. Answers ids only.
    create function kernel_claim_jobs(p_types text[], p_limit integer, p_lease_ms integer)
    returns table (account_id uuid, id uuid, plugin_id text, attempt integer)
    language sql volatile security definer set search_path = public, pg_temp as $$
      update jobs j
         set state = case when j.attempts >= j.max_attempts then 'dead' else 'queued' end,
             finished_at = case when j.attempts >= j.max_attempts then now() end,
             run_at = now(), locked_until = null, updated_at = now(),
             last_error = 'lease expired: the node running attempt ' || j.attempts || ' stopped before finishing'
        from (select e.account_id, e.id from jobs e
               where e.state = 'running' and e.locked_until < now() and e.type = any(p_types)
               for update skip locked) expired
       where j.account_id = expired.account_id and j.id = expired.id;

      update jobs j
         set state = 'running', attempts = j.attempts + 1, updated_at = now(),
             locked_until = now() + make_interval(secs => p_lease_ms / 1000.0)
        from (select d.account_id, d.id from jobs d
               where d.state = 'queued' and d.run_at <= now() and d.type = any(p_types)
               order by d.run_at, d.id
               limit p_limit
               for update skip locked) due
       where j.account_id = due.account_id and j.id = due.id
      returning j.account_id, j.id, j.plugin_id, j.attempts;
    $$;

    create table kernel_job_slots (
      job_key text primary key,
      last_slot timestamptz not null,
      updated_at timestamptz not null default now()
    );
    alter table kernel_job_slots enable row level security;
    alter table kernel_job_slots force row level security;
    create policy owner_only on kernel_job_slots
      using ((select kernel_is_owner('kernel_job_slots'))) with check ((select kernel_is_owner('kernel_job_slots')));

    -- True for the first caller of a slot newer than the last one run; null otherwise.
    create function kernel_claim_schedule_slot(p_job text, p_slot timestamptz)
    returns boolean
    language sql volatile security definer set search_path = public, pg_temp as $$
      insert into kernel_job_slots as s (job_key, last_slot) values (p_job, p_slot)
      on conflict (job_key) do update set last_slot = excluded.last_slot, updated_at = now()
        where s.last_slot < excluded.last_slot
      returning true
    $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function kernel_claim_schedule_slot(text, timestamptz);
    drop table kernel_job_slots;
    drop function kernel_claim_jobs(text[], integer, integer);
    drop table jobs;
  `);
}
