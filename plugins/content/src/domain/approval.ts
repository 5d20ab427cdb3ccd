import { problems } from '@markettina/sdk';
import { allowedActions, REVIEW_ACTIONS, REVIEW_STATUSES, reviewMove, type ReviewAction, type ReviewStatus } from './review.js';

/**
 * A post's review, the one posts and pieces share (see review.ts). Approval is of what the
 * reviewer read, so any change of content sends the post back to draft, whatever its state.
 */
export const APPROVAL_STATUSES = REVIEW_STATUSES;
export type ApprovalStatus = ReviewStatus;

export const APPROVAL_ACTIONS = REVIEW_ACTIONS;
export type ApprovalAction = ReviewAction;

export { allowedActions };

/** The status `action` leads to, or the 409 a client sees for an action the status does not allow. */
export function nextApproval(status: ApprovalStatus, action: ApprovalAction): ApprovalStatus {
  const to = reviewMove(status, action);
  if (!to) {
    throw problems.conflict('APPROVAL_TRANSITION_INVALID', `a post in ${status} cannot be ${action === 'submit' ? 'submitted' : `${action}d`}`, {
      approvalStatus: status,
      action,
      allowed: allowedActions(status),
    });
  }
  return to;
}

/** Where any change of content leaves a post, from every status: it needs reviewing again. */
export const STATUS_AFTER_EDIT: ApprovalStatus = 'draft';

/** When the tenant requires approval, only an approved post may be scheduled. */
export function assertSchedulable(status: ApprovalStatus, requireApproval: boolean): void {
  if (requireApproval && status !== 'approved') {
    throw problems.conflict('APPROVAL_REQUIRED', `this account publishes only approved posts; this one is ${status}`, { approvalStatus: status });
  }
}
