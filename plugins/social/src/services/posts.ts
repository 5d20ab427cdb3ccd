import { randomUUID } from 'node:crypto';
import { isConnectorError, problems, ProblemError, UnknownOutcome, type RequestContext } from '@markettina/sdk';
import { hasMedia, storedDraft, toPostDraft, type RestDraft } from '../domain/drafts.js';
import { platformCall, problemFor } from '../domain/problems.js';
import { accountNotFound, type SocialRuntime } from '../runtime.js';
import { findAccount } from '../store/accounts.js';
import { findPost, insertPost, outcomeColumns, updatePost, type PostRow } from '../store/posts.js';
import { withAccount } from './account-calls.js';

const postNotFound = () => problems.notFound('post');

/**
 * Publishes a draft to one connected account. The post's id is the platform idempotency
 * key, so a retry of the same post never creates a second one where the platform dedupes.
 * An unknown outcome is kept as `unconfirmed`, never retried blindly.
 */
export async function publishPost(rt: SocialRuntime, rc: RequestContext, body: { socialAccountId: string; draft: RestDraft }): Promise<PostRow> {
  const account = await findAccount(rc.db, body.socialAccountId);
  if (!account) throw accountNotFound();
  const connector = await rt.connector(rc.db, account.connector);
  const draft = toPostDraft(body.draft);
  const violations = connector.validate(draft);
  if (violations.length) throw problems.invalid('DRAFT_INVALID', `the draft does not fit ${connector.name}`, { errors: violations });
  const id = randomUUID();
  await insertPost(rc.db, { accountId: rc.tenant.accountId, id, socialAccountId: account.id, draft: storedDraft(body.draft), createdBy: rc.principal?.id ?? null });
  try {
    const result = await withAccount(rt, rc.db, rc.tenant.accountId, account, (call) => call.connector.publish(call.ctx, { post: call.connector.adapt(draft), idempotencyKey: id }));
    return await updatePost(rc.db, id, outcomeColumns(result));
  } catch (err) {
    if (err instanceof UnknownOutcome) return updatePost(rc.db, id, { status: 'unconfirmed', failure_code: 'UNKNOWN_OUTCOME', failure_reason: err.message });
    throw problemFor(err) ?? err;
  }
}

async function loadPost(rc: RequestContext, id: string) {
  const post = await findPost(rc.db, id);
  if (!post) throw postNotFound();
  const account = await findAccount(rc.db, post.social_account_id);
  return { post, account: account! };
}

/**
 * The post as the platform sees it now: a pending publish is carried on, a published post
 * is checked (it may have been deleted there), and an unconfirmed one is settled by
 * publishing again with the same key where the platform dedupes. A read never fails on the
 * platform's account: when the platform cannot be asked, the stored state is returned.
 */
export async function checkPost(rt: SocialRuntime, rc: RequestContext, id: string): Promise<PostRow> {
  const { post, account } = await loadPost(rc, id);
  const connector = await rt.connector(rc.db, account.connector);
  const resolvable = post.status === 'unconfirmed' && connector.capabilities.publishIdempotency === 'platform' && !hasMedia(post.draft);
  if (account.status !== 'connected' || !(post.status === 'pending' || post.status === 'published' || resolvable)) return post;
  try {
    const result = await withAccount(rt, rc.db, rc.tenant.accountId, account, (call) => {
      if (post.status === 'published') return call.connector.checkStatus(call.ctx, { externalId: post.external_id! });
      if (post.status === 'pending') return call.connector.checkStatus(call.ctx, { pending: post.pending_ref!, idempotencyKey: post.id });
      return call.connector.publish(call.ctx, { post: call.connector.adapt(toPostDraft(post.draft)), idempotencyKey: post.id });
    });
    return await updatePost(rc.db, id, outcomeColumns(result));
  } catch (err) {
    if (!isConnectorError(err) && !(err instanceof ProblemError)) throw err;
    rt.logger.warn({ post: id, err: (err as Error).message }, 'could not check a post with its platform');
    return post;
  }
}

export async function deletePost(rt: SocialRuntime, rc: RequestContext, id: string): Promise<PostRow> {
  const { post, account } = await loadPost(rc, id);
  const connector = await rt.connector(rc.db, account.connector);
  if (!connector.capabilities.delete) throw problems.conflict('DELETE_UNSUPPORTED', `${connector.name} does not let posts be deleted`);
  if (post.status === 'deleted') return post;
  if (post.status !== 'published' || !post.external_id) throw problems.conflict('POST_NOT_PUBLISHED', `the post is ${post.status}; only published posts can be deleted`);
  await platformCall(() => withAccount(rt, rc.db, rc.tenant.accountId, account, (call) => call.connector.delete!(call.ctx, post.external_id!)));
  return updatePost(rc.db, id, { status: 'deleted' });
}

export async function postMetrics(rt: SocialRuntime, rc: RequestContext, id: string): Promise<PostRow> {
  const { post, account } = await loadPost(rc, id);
  const connector = await rt.connector(rc.db, account.connector);
  if (connector.capabilities.metrics.length === 0) throw problems.conflict('METRICS_UNSUPPORTED', `${connector.name} exposes no post metrics`);
  if (post.status !== 'published' || !post.external_id) throw problems.conflict('POST_NOT_PUBLISHED', `the post is ${post.status}; only published posts have metrics`);
  const metrics = await platformCall(() => withAccount(rt, rc.db, rc.tenant.accountId, account, (call) => call.connector.fetchMetrics!(call.ctx, post.external_id!)));
  return updatePost(rc.db, id, { metrics: JSON.stringify(metrics), metrics_at: rc.db.fn.now() });
}
