import { problems } from '@markettina/sdk';
import { REVIEW_STATUSES, type ReviewStatus } from '../contracts.js';

export { REVIEW_STATUSES, type ReviewStatus };

/**
 * The moves of the review posts and pieces share. Approval is of what the reviewer read; a
 * rejected post or piece may be submitted again, as it is or after rework.
 */
export const REVIEW_ACTIONS = ['submit', 'approve', 'reject'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

export const REVIEW_MOVES: Readonly<Record<ReviewAction, { from: readonly ReviewStatus[]; to: ReviewStatus }>> = {
  submit: { from: ['draft', 'rejected'], to: 'review' },
  approve: { from: ['review'], to: 'approved' },
  reject: { from: ['review'], to: 'rejected' },
};

/** The reviewer's decisions: they need the approve permission and, by default, another person than the author. */
export const DECISIONS: readonly ReviewAction[] = ['approve', 'reject'];

export const allowedActions = (status: ReviewStatus): ReviewAction[] => REVIEW_ACTIONS.filter((a) => REVIEW_MOVES[a].from.includes(status));

/** The status `action` leads to from `status`, or undefined when the review does not allow it. */
export const reviewMove = (status: ReviewStatus, action: ReviewAction): ReviewStatus | undefined =>
  REVIEW_MOVES[action].from.includes(status) ? REVIEW_MOVES[action].to : undefined;

/** The action that moves to `to`, if a review action does. */
export const actionTo = (to: ReviewStatus): ReviewAction | undefined => REVIEW_ACTIONS.find((a) => REVIEW_MOVES[a].to === to);

/**
 * Four eyes: who wrote what is under review, or submitted it, does not decide on it, unless
 * the tenant allows self-approval. Unknown people (null) match no one.
 */
export function assertNotOwnWork(reviewer: string | null, authors: readonly (string | null)[], allowSelfApproval: boolean): void {
  if (allowSelfApproval || reviewer === null || !authors.includes(reviewer)) return;
  throw problems.forbidden('you wrote or submitted this; someone else must approve or reject it, unless the tenant allows self-approval', 'SELF_APPROVAL_FORBIDDEN');
}
