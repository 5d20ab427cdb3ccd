import type { Knex } from 'knex';
import { PostFailed, PostPublished, PostUnconfirmed, type PostFailedData, type PostPublishedData, type PostUnconfirmedData, type PublicationStatus } from '../contracts.js';
import { afterCall, beforeCall, canMove, claimKind, type Change, type PublicationState } from '../domain/publication-state.js';
import type { SocialRuntime } from '../runtime.js';
import { findAccount } from '../store/accounts.js';
import { findLeased, recordChange, renewLease, type PublicationRow } from '../store/publications.js';
import { accountCall } from './account-calls.js';
import { platformCall, type CallInput } from './publish-call.js';

/** A publication this node leased: ids only, the rest is read in the tenant's transaction. */
export interface Claim {
  accountId: string;
  id: string;
  claimedFrom: PublicationStatus;
  /** The lease owner written by the claim; the final write is a compare-and-set on it. */
  owner: string;
}

export type ClaimResult = PublicationStatus | 'lost';

const stateOf = (row: PublicationRow): PublicationState => ({ dueAt: row.due_at, attempts: row.attempts, outcomeUnknown: row.outcome_unknown, pendingSince: row.pending_since });

async function load(rt: SocialRuntime, claim: Claim): Promise<CallInput | undefined> {
  return rt.tenancy.withTenant(claim.accountId, async (trx) => {
    const row = await findLeased(trx, claim.id, claim.owner);
    if (!row) return undefined;
    const account = await findAccount(trx, row.social_account_id);
    const installed = rt.connectors.get(row.connector);
    const enabled = installed !== undefined && (await rt.isConnectorEnabled(trx, row.connector));
    const refusal = !installed
      ? { code: 'CONNECTOR_NOT_INSTALLED', reason: `no installed connector is called "${row.connector}"` }
      : !enabled
        ? { code: 'CONNECTOR_NOT_ENABLED', reason: `the ${installed.name} connector is not enabled for this account` }
        : undefined;
    // The account's call context is built here, in the same transaction, when it can be used.
    const call = enabled && account?.status === 'connected' ? await accountCall(rt, trx, claim.accountId, account) : undefined;
    return { tenantId: claim.accountId, kind: claimKind(claim.claimedFrom), row, account, connector: enabled ? installed : undefined, call, refusal };
  });
}

/** Keeps the lease while `run` waits on the platform, so a slow call is not taken for a dead node. */
async function leased<T>(rt: SocialRuntime, claim: Claim, run: () => Promise<T>): Promise<T> {
  const leaseMs = rt.config.publishing.leaseSeconds * 1000;
  const renew = setInterval(() => {
    rt.tenancy
      .withTenant(claim.accountId, (trx) => renewLease(trx, claim.id, claim.owner, leaseMs))
      .then((held) => held || rt.logger.warn({ publication: claim.id }, 'the publication lease was lost during the platform call'))
      .catch((err: unknown) => rt.logger.warn({ err, publication: claim.id }, 'could not renew a publication lease'));
  }, Math.max(100, Math.floor(leaseMs / 3)));
  renew.unref();
  try {
    return await run();
  } finally {
    clearInterval(renew);
  }
}

function eventOf(row: PublicationRow, change: Change): { type: string; data: Record<string, unknown> } | undefined {
  const base = { publicationId: row.id, socialAccountId: row.social_account_id, connector: row.connector, source: { plugin: row.source_plugin, id: row.source_id, ...(row.source_version !== null ? { version: row.source_version } : {}) }, campaignId: row.campaign_id };
  switch (change.event) {
    case 'published':
      return { type: PostPublished, data: { ...base, externalId: row.external_id!, url: row.url, publishedAt: row.published_at!.toISOString() } satisfies PostPublishedData };
    case 'failed':
      return { type: PostFailed, data: { ...base, code: row.failure_code ?? 'FAILED', reason: row.failure_reason ?? '' } satisfies PostFailedData };
    case 'unconfirmed':
      return { type: PostUnconfirmed, data: { ...base, reason: row.failure_reason ?? '' } satisfies PostUnconfirmedData };
    default:
      return undefined;
  }
}

/** Writes the decision and its event in one tenant transaction, if the claim still holds the row. */
async function record(rt: SocialRuntime, claim: Claim, held: PublicationRow, change: Change): Promise<ClaimResult> {
  if (!canMove(held.status, change.status)) throw new Error(`a ${held.status} publication cannot become ${change.status}`);
  return rt.tenancy.withTenant(claim.accountId, async (trx: Knex.Transaction) => {
    const row = await recordChange(trx, held, claim.owner, change);
    if (!row) {
      rt.logger.warn({ publication: claim.id, wanted: change.status }, 'another node took the publication over; its outcome is left to that node');
      return 'lost';
    }
    const event = eventOf(row, change);
    if (event) await rt.events.publish(trx, { type: event.type, aggregateId: row.id, subject: `social-publications/${row.id}`, data: event.data });
    return row.status;
  });
}

/**
 * Carries one claimed publication through its platform call: read it, decide whether to
 * call at all, call outside any transaction (holding the lease), then record the outcome.
 * If this node dies anywhere in between, the lease runs out and another node takes over.
 */
export async function runClaim(rt: SocialRuntime, claim: Claim): Promise<ClaimResult> {
  const input = await load(rt, claim);
  if (!input) return 'lost';
  const { row, kind } = input;
  const idempotency = input.connector?.capabilities.publishIdempotency ?? 'none';
  const state = stateOf(row);
  let change = beforeCall(kind, state, idempotency, rt.publishing, new Date());
  if (!change) {
    const outcome = await leased(rt, claim, () => platformCall(rt, input));
    change = afterCall(kind, state, outcome, idempotency, rt.publishing, new Date());
    if (outcome.kind !== 'published') rt.logger.info({ publication: row.id, outcome: outcome.kind, next: change.status }, 'publication attempt');
  }
  return record(rt, claim, row, change);
}
