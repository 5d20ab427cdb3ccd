import { isConnectorError, isProblemError, OutboundRefused, RateLimited, type Connector, type PostStatus } from '@markettina/sdk';
import type { CallOutcome, ClaimKind } from '../domain/publication-state.js';
import { blobKeysOf, loadedDraft } from '../domain/publication-draft.js';
import type { SocialRuntime } from '../runtime.js';
import type { AccountRow } from '../store/accounts.js';
import type { PublicationRow } from '../store/publications.js';
import { withAccount, type AccountCall } from './account-calls.js';

/** What a claimed publication needs for its platform call, read in the claim's tenant. */
export interface CallInput {
  tenantId: string;
  kind: ClaimKind;
  row: PublicationRow;
  account: AccountRow | undefined;
  /** Undefined when not installed or not enabled for the tenant (see `refusal`). */
  connector: Connector | undefined;
  /** The connected account's call context, built while the row was read. */
  call: AccountCall | undefined;
  refusal: { code: string; reason: string } | undefined;
}

function fromStatus(s: PostStatus): CallOutcome {
  switch (s.status) {
    case 'published':
      return { kind: 'published', externalId: s.externalId, url: s.url ?? null, parts: s.parts };
    case 'pending':
      return { kind: 'pending', ref: s.pending, retryAfterMs: s.retryAfterMs };
    case 'failed':
      return { kind: 'rejected', code: s.code, reason: s.reason };
    case 'deleted':
      return { kind: 'deleted' };
  }
}

/** A failure of the call itself, in the pipeline's terms; `sent` says whether anything may have reached the platform. */
function fromError(err: unknown, sent: boolean, spacingMs: number | undefined): CallOutcome {
  if (isConnectorError(err)) {
    switch (err.kind) {
      case 'rate_limited': {
        const limited = err as RateLimited;
        return { kind: 'rate_limited', retryAfterMs: limited.retryAfterMs, ...(limited.source === 'local' && spacingMs ? { spacingMs } : {}) };
      }
      case 'auth_expired':
      case 'reconnect_required':
        return { kind: 'reconnect_required', reason: err.message };
      case 'transient':
        return { kind: 'transient', reason: err.message };
      case 'content_rejected':
        return { kind: 'rejected', code: 'CONTENT_REJECTED', reason: (err as { reason?: string }).reason ?? err.message };
      case 'unknown_outcome':
        return { kind: 'unknown', reason: err.message };
    }
  }
  if (err instanceof OutboundRefused) return { kind: 'refused', code: 'ORIGIN_NOT_ALLOWED', reason: err.message };
  if (isProblemError(err)) {
    return err.code === 'RECONNECT_REQUIRED' ? { kind: 'reconnect_required', reason: err.message } : { kind: 'refused', code: err.code, reason: err.message };
  }
  const reason = err instanceof Error ? err.message : String(err);
  // A connector that crashed mid-call may have sent the request: that is not a failure to retry blindly.
  return sent ? { kind: 'unknown', reason: `the connector failed: ${reason}` } : { kind: 'transient', reason };
}

/** The shortest gap the connector's declared budgets allow between two calls of one account. */
function budgetSpacingMs(connector: Connector): number | undefined {
  const intervals = connector.capabilities.rateLimits.map((p) => (p.windowSeconds * 1000) / p.limit);
  return intervals.length ? Math.min(...intervals) : undefined;
}

/** Reads every attachment from the blob store; undefined when one is gone. */
async function loadMedia(rt: SocialRuntime, tenantId: string, row: PublicationRow): Promise<Map<string, Uint8Array> | undefined> {
  const bytes = new Map<string, Uint8Array>();
  for (const key of blobKeysOf(row.draft)) {
    const data = await rt.blobs().get(tenantId, key);
    if (!data) return undefined;
    bytes.set(key, data);
  }
  return bytes;
}

/**
 * Makes the one platform call a claim is for, outside any transaction, and says what came
 * of it. It never throws: every failure is an outcome the state rules know.
 */
export async function platformCall(rt: SocialRuntime, input: CallInput): Promise<CallOutcome> {
  const { tenantId, row, account, connector } = input;
  if (input.refusal) return { kind: 'refused', ...input.refusal };
  if (!connector || !account) return { kind: 'refused', code: 'ACCOUNT_NOT_FOUND', reason: 'the social account is gone' };
  let sent = false;
  try {
    if (input.kind === 'poll') {
      const status = await withAccount(rt, undefined, tenantId, account, (call) => {
        sent = true;
        return call.connector.checkStatus(call.ctx, { pending: row.pending_ref ?? '', idempotencyKey: row.id });
      }, input.call);
      return fromStatus(status);
    }
    const media = await loadMedia(rt, tenantId, row);
    if (!media) return { kind: 'refused', code: 'MEDIA_MISSING', reason: 'an attachment is no longer in the blob store' };
    const draft = loadedDraft(row.draft, media);
    const violations = connector.validate(draft);
    if (violations.length) return { kind: 'refused', code: 'DRAFT_INVALID', reason: violations.map((v) => `${v.path}: ${v.message}`).join('; ') };
    const result = await withAccount(rt, undefined, tenantId, account, (call) => {
      const post = call.connector.adapt(draft);
      sent = true;
      return call.connector.publish(call.ctx, { post, idempotencyKey: row.id });
    }, input.call);
    return fromStatus(result);
  } catch (err) {
    if (!isConnectorError(err) && !isProblemError(err) && !(err instanceof OutboundRefused)) {
      rt.logger.error({ err, publication: row.id }, 'publishing failed unexpectedly');
    }
    return fromError(err, sent, budgetSpacingMs(connector));
  }
}
