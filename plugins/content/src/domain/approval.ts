import { problems } from '@markettina/sdk';

/**
 * A post's review: written (`draft`), submitted (`review`), then `approved` or `rejected`.
 * Approval is of what the reviewer read, so any change of content sends the post back to
 * draft, whatever its state; a rejected post is reworked and submitted again.
 */
export const APPROVAL_STATUSES = ['draft', 'review', 'approved', 'rejected'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const APPROVAL_ACTIONS = ['submit', 'approve', 'reject'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

const MOVES: Readonly<Record<ApprovalAction, { from: readonly ApprovalStatus[]; to: ApprovalStatus }>> = {
  submit: { from: ['draft', 'rejected'], to: 'review' },
  approve: { from: ['review'], to: 'approved' },
  reject: { from: ['review'], to: 'rejected' },
};

export const allowedActions = (status: ApprovalStatus): ApprovalAction[] => APPROVAL_ACTIONS.filter((a) => MOVES[a].from.includes(status));

/** The status `action` leads to, or the 409 a client sees for an action the status does not allow. */
export function nextApproval(status: ApprovalStatus, action: ApprovalAction): ApprovalStatus {
  const move = MOVES[action];
  if (!move.from.includes(status)) {
    throw problems.conflict('APPROVAL_TRANSITION_INVALID', `a post in ${status} cannot be ${action === 'submit' ? 'submitted' : `${action}d`}`, {
      approvalStatus: status,
      action,
      allowed: allowedActions(status),
    });
  }
  return move.to;
}

/** Where any change of content leaves a post, from every status: it needs reviewing again. */
export const STATUS_AFTER_EDIT: ApprovalStatus = 'draft';

/** When the tenant requires approval, only an approved post may be scheduled. */
export function assertSchedulable(status: ApprovalStatus, requireApproval: boolean): void {
  if (requireApproval && status !== 'approved') {
    throw problems.conflict('APPROVAL_REQUIRED', `this account publishes only approved posts; this one is ${status}`, { approvalStatus: status });
  }
}
