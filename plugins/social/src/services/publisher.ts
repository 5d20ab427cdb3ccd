import { randomUUID } from 'node:crypto';
import { problems, ProblemError } from '@markettina/sdk';
import type { Knex } from 'knex';
import type { Publisher, PublicationView, ScheduleRequest } from '../contracts.js';
import { describedDraft } from '../domain/publication-draft.js';
import { canCancel, canReschedule } from '../domain/publication-state.js';
import { accountNotFound, type SocialRuntime } from '../runtime.js';
import { findAccount } from '../store/accounts.js';
import { cancelUnclaimed, findPublication, forSource, insertPublication, moveScheduled, publicationView, type PublicationRow } from '../store/publications.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const publicationNotFound = () => problems.notFound('publication');

const notScheduled = (row: PublicationRow, action: string) =>
  problems.conflict(
    'PUBLICATION_NOT_SCHEDULED',
    row.outcome_unknown && row.status === 'retrying'
      ? `an earlier attempt may have published it, so it can no longer be ${action}`
      : `the publication is ${row.status}; only a scheduled one can be ${action}`,
    { publicationStatus: row.status },
  );

function checkTimeZone(timeZone: string | undefined): void {
  if (timeZone === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw problems.invalid('TIME_ZONE_INVALID', `"${timeZone}" is not an IANA time zone`);
  }
}

function checkDueAt(dueAt: Date, maxLatenessMs: number): void {
  if (!(dueAt instanceof Date) || Number.isNaN(dueAt.getTime())) throw problems.invalid('DUE_AT_INVALID', 'dueAt must be a valid instant');
  if (Date.now() - dueAt.getTime() > maxLatenessMs) {
    throw problems.invalid('DUE_AT_TOO_LATE', `dueAt is more than ${Math.round(maxLatenessMs / 60_000)} minutes in the past; it would not be published`);
  }
}

/**
 * Scheduling as other plugins see it (`socialPublisher`). Every method works in the
 * caller's tenant transaction, so a publication exists, moves or is cancelled exactly when
 * the caller's change commits.
 */
export function createPublisher(rt: SocialRuntime): Publisher {
  const maxLatenessMs = rt.config.publishing.maxLatenessSeconds * 1000;
  const load = async (trx: Knex.Transaction, id: string) => {
    const row = UUID.test(id) ? await findPublication(trx, id) : undefined;
    if (!row) throw publicationNotFound();
    return row;
  };
  return {
    async schedule(trx, req: ScheduleRequest): Promise<PublicationView> {
      if (!UUID.test(req.socialAccountId)) throw accountNotFound();
      if (req.campaignId != null && !UUID.test(req.campaignId)) throw problems.invalid('CAMPAIGN_ID_INVALID', 'campaignId must be a UUID');
      checkDueAt(req.dueAt, maxLatenessMs);
      checkTimeZone(req.timeZone);
      const account = await findAccount(trx, req.socialAccountId);
      if (!account) throw accountNotFound();
      if (account.status === 'reconnect_required') {
        throw new ProblemError({ status: 409, code: 'RECONNECT_REQUIRED', title: 'The account must be reconnected', detail: account.last_error ?? 'its credentials stopped working' });
      }
      if (account.status !== 'connected') throw problems.conflict('ACCOUNT_NOT_CONNECTED', `the account is ${account.status.replace('_', ' ')}`);
      const connector = await rt.connector(trx, account.connector);
      const violations = connector.validate(describedDraft(req.draft));
      if (violations.length) throw problems.invalid('DRAFT_INVALID', `the draft does not fit ${connector.name}`, { errors: violations });
      const row = await insertPublication(trx, {
        id: randomUUID(),
        socialAccountId: account.id,
        connector: account.connector,
        source: req.source,
        campaignId: req.campaignId ?? null,
        draft: req.draft,
        dueAt: req.dueAt,
        timeZone: req.timeZone ?? null,
      });
      return publicationView(row);
    },

    async reschedule(trx, id, dueAt, timeZone) {
      checkDueAt(dueAt, maxLatenessMs);
      checkTimeZone(timeZone);
      const row = await load(trx, id);
      if (!canReschedule(row)) throw notScheduled(row, 'moved');
      const moved = await moveScheduled(trx, id, dueAt, timeZone);
      if (!moved) throw notScheduled((await findPublication(trx, id))!, 'moved');
      return publicationView(moved);
    },

    async cancel(trx, id) {
      const row = await load(trx, id);
      if (!canCancel({ status: row.status, outcomeUnknown: row.outcome_unknown })) throw notScheduled(row, 'cancelled');
      // The update waits for a claim that holds the row, then finds it claimed.
      const cancelled = await cancelUnclaimed(trx, id);
      if (!cancelled) throw notScheduled((await findPublication(trx, id))!, 'cancelled');
      return publicationView(cancelled);
    },

    async get(trx, id) {
      const row = UUID.test(id) ? await findPublication(trx, id) : undefined;
      return row && publicationView(row);
    },

    async account(trx, socialAccountId) {
      const account = UUID.test(socialAccountId) ? await findAccount(trx, socialAccountId) : undefined;
      return account && { socialAccountId: account.id, connector: account.connector, displayName: account.display_name, status: account.status };
    },

    async forSource(trx, source) {
      return (await forSource(trx, source.plugin, source.id)).map(publicationView);
    },
  };
}
