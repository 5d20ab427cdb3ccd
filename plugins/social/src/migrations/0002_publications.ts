import { enableTenantRls, type Migration } from '@markettina/sdk';
import { PUBLICATION_STATUSES } from '../contracts.js';

const statuses = PUBLICATION_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * Publications: one draft to publish on one connected account at a time, and what became
 * of it. The id is also the platform idempotency key.
 *
 * Publishing nodes find due rows of every tenant through `social_claim_publications`, a
 * SECURITY DEFINER function that answers ids only (the work itself runs in tenant
 * transactions). `next_attempt_at` is the one clock the claim reads: when a scheduled or
 * retrying row is due, when a pending row is polled next, and, while a row is leased,
 * when its lease runs out (so a node that died mid-call gives its rows back).
 */
export const publicationsSchema: Migration = {
  name: '0002_publications',
  async up(knex) {
    await knex.raw(`
      create table social_publications (
        account_id uuid not null references accounts (id),
        id uuid not null,
        social_account_id uuid not null,
        connector text not null,
        source_plugin text not null,
        source_id text not null,
        source_version integer,
        campaign_id uuid,
        draft jsonb not null,
        due_at timestamptz not null,
        time_zone text,
        status text not null check (status in (${statuses})),
        attempts integer not null default 0 check (attempts >= 0),
        next_attempt_at timestamptz,
        lease_owner text,
        lease_expires_at timestamptz,
        outcome_unknown boolean not null default false,
        pending_since timestamptz,
        external_id text,
        url text,
        parts jsonb not null default '[]',
        pending_ref text,
        failure_code text,
        failure_reason text,
        published_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (account_id, id),
        foreign key (account_id, social_account_id) references social_accounts (account_id, id)
      )`);
    await knex.raw(`comment on column social_publications.outcome_unknown is 'an earlier attempt may have published it: never failed or retried as if it had not'`);
    // The claim reads due rows of every tenant in next_attempt_at order.
    await knex.raw(`create index social_publications_due_idx on social_publications (next_attempt_at) where status in ('scheduled', 'retrying', 'pending', 'publishing')`);
    // Publications of one account held back by its budget line up behind the last one waiting.
    await knex.raw(`create index social_publications_rate_queue_idx on social_publications (account_id, social_account_id, next_attempt_at) where status = 'retrying' and failure_code = 'RATE_LIMITED'`);
    await knex.raw(`create index social_publications_due_at_idx on social_publications (account_id, due_at, id)`);
    await knex.raw(`create index social_publications_status_idx on social_publications (account_id, status, due_at, id)`);
    await knex.raw(`create index social_publications_connector_idx on social_publications (account_id, connector, due_at, id)`);
    await knex.raw(`create index social_publications_campaign_idx on social_publications (account_id, campaign_id, due_at, id) where campaign_id is not null`);
    await knex.raw(`create index social_publications_social_account_idx on social_publications (account_id, social_account_id, due_at, id)`);
    await knex.raw(`create index social_publications_source_idx on social_publications (account_id, source_plugin, source_id, created_at)`);
    await enableTenantRls(knex, 'social_publications');
    await knex.raw(`
      create policy social_claim on social_publications
        using ((select kernel_is_owner('social_publications'))) with check ((select kernel_is_owner('social_publications')));

      -- Leases up to p_limit due publications of active tenants that enabled the social
      -- plugin: scheduled and retrying rows become publishing (one more attempt), publishing
      -- rows whose lease ran out are taken over (one more attempt), pending rows are leased
      -- for a poll. Answers ids and the status each row was claimed from, nothing else.
      -- enable_sort off: the planner would otherwise read and sort every due row to return
      -- the first p_limit (its cost grew with the backlog, once per claim); this way it
      -- walks social_publications_due_idx in order and stops at the limit.
      create function social_claim_publications(p_owner text, p_limit integer, p_lease_ms integer)
      returns table (account_id uuid, id uuid, claimed_from text, attempts integer)
      language sql volatile security definer set search_path = public, pg_temp set enable_sort = off as $$
        update social_publications p
           set status = case when due.status = 'pending' then 'pending' else 'publishing' end,
               attempts = case when due.status = 'pending' then p.attempts else p.attempts + 1 end,
               lease_owner = p_owner,
               lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_ms / 1000.0),
               next_attempt_at = clock_timestamp() + make_interval(secs => p_lease_ms / 1000.0),
               updated_at = clock_timestamp()
          from (select d.account_id, d.id, d.status from social_publications d
                 where d.status in ('scheduled', 'retrying', 'pending', 'publishing')
                   and d.next_attempt_at <= clock_timestamp()
                   and exists (select 1 from accounts a where a.id = d.account_id and a.status = 'active')
                   and exists (select 1 from tenant_plugins tp where tp.account_id = d.account_id and tp.plugin_id = 'social' and tp.enabled)
                 order by d.next_attempt_at
                 limit p_limit
                 for update of d skip locked) due
         where p.account_id = due.account_id and p.id = due.id
        returning p.account_id, p.id, due.status, p.attempts
      $$;
    `);
  },
  async down(knex) {
    await knex.raw('drop function social_claim_publications(text, integer, integer)');
    await knex.raw('drop table social_publications');
  },
};
