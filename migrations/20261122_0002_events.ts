import type { Knex } from 'knex';
import { CURRENT_ACCOUNT, enableTenantRls } from '@markettina/sdk';

/**
 * The event bus: `domain_events` (range-partitioned by month of occurrence) and one
 * `event_deliveries` row per subscriber. Publishing and handling run as the app role under
 * the tenant's RLS; only claiming (which must see every tenant's queue) and partition
 * maintenance (DDL) run as the owner, through SECURITY DEFINER functions that return ids.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table domain_events (
      account_id uuid not null references accounts (id),
      occurred_at timestamptz not null,
      id uuid not null,
      type text not null,
      source text not null,
      subject text,
      aggregate_id text,
      data jsonb not null,
      primary key (account_id, occurred_at, id)
    ) partition by range (occurred_at);
  `);
  await enableTenantRls(knex, 'domain_events');

  await knex.raw(`
    -- No foreign key to accounts of its own: the one to domain_events implies it, and every
    -- foreign key is a lookup on each of the many inserts.
    create table event_deliveries (
      account_id uuid not null,
      id bigint generated always as identity,
      event_id uuid not null,
      event_time timestamptz not null,
      plugin_id text not null,
      subscriber_id text not null,
      aggregate_id text,
      state text not null default 'pending' check (state in ('pending', 'done', 'dead')),
      attempts integer not null default 0,
      available_at timestamptz not null default now(),
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (account_id, id),
      foreign key (account_id, event_time, event_id) references domain_events (account_id, occurred_at, id)
    );
    -- What dispatchers scan: due deliveries, oldest first.
    create index event_deliveries_due_idx on event_deliveries (available_at, id) where state = 'pending';
    -- The per-aggregate order check: an earlier unfinished delivery to the same subscriber.
    create index event_deliveries_order_idx on event_deliveries (account_id, aggregate_id, plugin_id, subscriber_id, id)
      where state = 'pending' and aggregate_id is not null;
    -- A claimed delivery's siblings (same tenant and plugin) for the rest of the batch.
    create index event_deliveries_batch_idx on event_deliveries (account_id, plugin_id, id) where state = 'pending';
    -- The dead letters the admin API lists. Done deliveries, the bulk, are in no index but
    -- the primary key, so settling a delivery writes as little as it can.
    create index event_deliveries_dead_idx on event_deliveries (account_id, id) where state = 'dead';
  `);
  await enableTenantRls(knex, 'event_deliveries');
  await knex.raw(`
    -- Lets the owner-run claim function see and lock every tenant's deliveries; the app role
    -- is never the owner, so for it only the tenant policy applies. Written out rather than
    -- calling kernel_is_owner(): an uncorrelated subquery is evaluated once per statement,
    -- a function call once per row, which made every claim scan the queue at a crawl.
    create policy dispatch on event_deliveries for all
      using (current_user = (select pg_get_userbyid(relowner) from pg_class where oid = 'event_deliveries'::regclass))
      with check (current_user = (select pg_get_userbyid(relowner) from pg_class where oid = 'event_deliveries'::regclass));

    -- Runs as the caller inside the caller's transaction, bound to its tenant. Publishers of
    -- one aggregate are serialised by a transaction lock taken before the delivery ids are
    -- drawn, so id order is commit order within an aggregate.
    create function kernel_publish_event(
      p_type text, p_source text, p_subject text, p_aggregate text, p_data jsonb,
      p_plugins text[], p_subscribers text[])
    returns table (id uuid, account_id uuid, occurred_at timestamptz, deliveries integer)
    language plpgsql volatile set search_path = public, pg_temp as $$
    #variable_conflict use_column
    declare
      v_account uuid := ${CURRENT_ACCOUNT};
      v_id uuid := gen_random_uuid();
      v_time timestamptz := now();
      v_count integer;
    begin
      if v_account is null then
        raise exception 'events can only be published in a transaction bound to a tenant' using errcode = 'MKE01';
      end if;
      if p_aggregate is not null then
        perform pg_advisory_xact_lock(hashtextextended('event-order/' || v_account::text || '/' || p_aggregate, 0));
      end if;
      insert into domain_events (account_id, occurred_at, id, type, source, subject, aggregate_id, data)
      values (v_account, v_time, v_id, p_type, p_source, p_subject, p_aggregate, p_data);
      insert into event_deliveries (account_id, event_id, event_time, plugin_id, subscriber_id, aggregate_id)
      select v_account, v_id, v_time, s.plugin_id, s.subscriber_id, p_aggregate
      from unnest(p_plugins, p_subscribers) with ordinality as s(plugin_id, subscriber_id, n)
      where exists (
        select 1 from tenant_plugins tp
        where tp.account_id = v_account and tp.plugin_id = s.plugin_id and tp.enabled)
      order by s.n;
      get diagnostics v_count = row_count;
      if v_count > 0 then
        perform pg_notify('markettina_events', '');
      end if;
      return query select v_id, v_account, v_time, v_count;
    end $$;

    -- Claims the first due delivery for one of the given subscribers ('<plugin>/<subscriber>')
    -- and up to p_limit - 1 more of the same tenant and plugin, all kept locked until the
    -- caller's transaction ends. A delivery waits while an earlier one of the same aggregate
    -- to the same subscriber is unfinished. It returns ids, binds the transaction to the
    -- tenant with kernel_enter_tenant and reports what that reports, so the handlers run under
    -- the tenant's RLS like any tenant transaction. PL/pgSQL, so plans are cached per
    -- connection; the planner settings make it walk the due index in order and stop at the
    -- first claimable row instead of fetching and sorting the queue when statistics lag.
    create function kernel_claim_event_deliveries(p_subscribers text[], p_limit integer)
    returns table (id bigint, account_id uuid, plugin_id text, subscriber_id text,
                   plan_tier text, status text, plugin_enabled boolean)
    language plpgsql volatile security definer
    set search_path = public, pg_temp set enable_bitmapscan = off set enable_sort = off as $$
    #variable_conflict use_column
    declare
      v record;
    begin
      select d.id, d.account_id, d.plugin_id into v
      from event_deliveries d
      where d.state = 'pending'
        and d.available_at <= now()
        and d.plugin_id || '/' || d.subscriber_id = any (p_subscribers)
        and (d.aggregate_id is null or not exists (
          select 1 from event_deliveries e
          where e.account_id = d.account_id and e.aggregate_id = d.aggregate_id
            and e.plugin_id = d.plugin_id and e.subscriber_id = d.subscriber_id
            and e.state = 'pending' and e.id < d.id))
      order by d.available_at, d.id
      limit 1
      for update of d skip locked;
      if not found then
        return;
      end if;
      return query
        with more as (
          select d.id
          from event_deliveries d
          where d.account_id = v.account_id and d.plugin_id = v.plugin_id and d.id <> v.id
            and d.state = 'pending'
            and d.available_at <= now()
            and d.plugin_id || '/' || d.subscriber_id = any (p_subscribers)
            and (d.aggregate_id is null or not exists (
              select 1 from event_deliveries e
              where e.account_id = d.account_id and e.aggregate_id = d.aggregate_id
                and e.plugin_id = d.plugin_id and e.subscriber_id = d.subscriber_id
                and e.state = 'pending' and e.id < d.id))
          order by d.id
          limit greatest(p_limit - 1, 0)
          for update of d skip locked
        ), batch as (
          select v.id as id union all select more.id from more
        )
        select d.id, d.account_id, d.plugin_id, d.subscriber_id, t.plan_tier, t.status, t.plugin_enabled
        from batch b
        join event_deliveries d on d.id = b.id and d.account_id = v.account_id
        left join kernel_enter_tenant(v.account_id, v.plugin_id) t on true
        order by d.id;
    end $$;

    -- Keeps monthly partitions from the current month to p_months_ahead months ahead. Each
    -- partition carries the tenant policy too, so reading it directly is no way around RLS.
    create function kernel_ensure_event_partitions(p_months_ahead integer)
    returns integer
    language plpgsql volatile security definer set search_path = public, pg_temp as $$
    declare
      v_first timestamp := date_trunc('month', now() at time zone 'UTC');
      v_from timestamp;
      v_name text;
      v_created integer := 0;
    begin
      if p_months_ahead is null or p_months_ahead < 0 or p_months_ahead > 36 then
        raise exception 'months ahead must be between 0 and 36, got %', p_months_ahead using errcode = '22023';
      end if;
      perform pg_advisory_xact_lock(hashtextextended('kernel_ensure_event_partitions', 0));
      for i in 0..p_months_ahead loop
        v_from := v_first + make_interval(months => i);
        v_name := 'domain_events_' || to_char(v_from, 'YYYY_MM');
        continue when to_regclass(v_name) is not null;
        execute format('create table %I partition of domain_events for values from (%L) to (%L)',
          v_name, v_from at time zone 'UTC', (v_from + interval '1 month') at time zone 'UTC');
        execute format('alter table %I enable row level security', v_name);
        execute format('alter table %I force row level security', v_name);
        execute format('create policy tenant_isolation on %I using (account_id = ${CURRENT_ACCOUNT.replaceAll("'", "''")}) with check (account_id = ${CURRENT_ACCOUNT.replaceAll("'", "''")})', v_name);
        v_created := v_created + 1;
      end loop;
      return v_created;
    end $$;

    select kernel_ensure_event_partitions(3);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function kernel_ensure_event_partitions(integer);
    drop function kernel_claim_event_deliveries(text[], integer);
    drop function kernel_publish_event(text, text, text, text, jsonb, text[], text[]);
    drop table event_deliveries;
    drop table domain_events;
  `);
}
