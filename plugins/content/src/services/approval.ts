import type { EventBus } from '@markettina/sdk';
import { POST_EVENTS, type ApprovalGrantedData, type ApprovalRejectedData, type ApprovalRequestedData } from '../contracts.js';
import { nextApproval, type ApprovalAction } from '../domain/approval.js';
import { assertExpectedVersion } from '../domain/posts.js';
import { assertNotOwnWork, DECISIONS } from '../domain/review.js';
import type { ContentCaller } from './caller.js';
import { getPost, lockPost, type PostView } from './posts-store.js';

/**
 * The review of posts: authors submit, reviewers approve or reject. A reviewer may pin the
 * version they read (If-Match), so they never approve text they did not see, and does not
 * decide on a version they wrote or submitted unless the tenant allows self-approval.
 */
export class ApprovalService {
  constructor(private readonly events: EventBus) {}

  async submit(c: ContentCaller, id: string, expectedVersion?: number): Promise<PostView> {
    const post = await this.move(c, id, 'submit', expectedVersion);
    await this.publish<ApprovalRequestedData>(c, POST_EVENTS.approvalRequested, { postId: id, version: post.version, requestedBy: c.actorId });
    return post;
  }

  async approve(c: ContentCaller, id: string, expectedVersion?: number): Promise<PostView> {
    const post = await this.move(c, id, 'approve', expectedVersion);
    await this.publish<ApprovalGrantedData>(c, POST_EVENTS.approvalGranted, { postId: id, version: post.version, approvedBy: c.actorId });
    return post;
  }

  async reject(c: ContentCaller, id: string, reason: string, expectedVersion?: number): Promise<PostView> {
    const post = await this.move(c, id, 'reject', expectedVersion, reason);
    await this.publish<ApprovalRejectedData>(c, POST_EVENTS.approvalRejected, { postId: id, version: post.version, rejectedBy: c.actorId, reason });
    return post;
  }

  private async move(c: ContentCaller, id: string, action: ApprovalAction, expectedVersion: number | undefined, reason?: string): Promise<PostView> {
    const current = await lockPost(c.db, id);
    assertExpectedVersion(current.version, expectedVersion);
    const status = nextApproval(current.approvalStatus, action);
    if (DECISIONS.includes(action)) assertNotOwnWork(c.actorId, await this.authorsOf(c, current), (await c.settings()).allowSelfApproval);
    const review =
      action === 'submit'
        ? { submitted_by: c.actorId }
        : { reviewed_version: current.version, reviewed_by: c.actorId, reviewed_at: c.db.fn.now(), rejection_reason: action === 'reject' ? reason : null };
    await c.db('content_posts')
      .where({ id })
      .update({ approval_status: status, ...review, updated_at: c.db.fn.now() });
    return getPost(c.db, id);
  }

  /** Who wrote the version under review and who submitted it. */
  private async authorsOf(c: ContentCaller, post: PostView): Promise<(string | null)[]> {
    const row = (await c.db({ p: 'content_posts' })
      .join({ v: 'content_post_versions' }, function () {
        this.on('v.post_id', 'p.id').andOn('v.version', 'p.version');
      })
      .where('p.id', post.id)
      .first('v.author_id', 'p.submitted_by')) as { author_id: string | null; submitted_by: string | null };
    return [row.author_id, row.submitted_by];
  }

  private async publish<D extends Record<string, unknown> & { postId: string }>(c: ContentCaller, type: string, data: D): Promise<void> {
    await this.events.publish<D>(c.db, { type, aggregateId: data.postId, subject: `posts/${data.postId}`, data });
  }
}
