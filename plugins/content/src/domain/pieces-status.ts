import { problems } from '@markettina/sdk';
import { PIECE_STATUSES, type PieceStatus } from '../contracts.js';
import { actionTo, DECISIONS, REVIEW_ACTIONS, reviewMove } from './review.js';

/**
 * A piece goes through the review posts have (review.ts): submitted from draft or after a
 * rejection, then approved or rejected. A piece changes only in draft, so going back to
 * draft is a move of its own: withdrawn from review, revised after a rejection, or reopened
 * after an approval (which the approval then no longer covers). A post gets there by being
 * edited instead.
 */
const BACK_TO_DRAFT: readonly PieceStatus[] = ['review', 'approved', 'rejected'];

export const PIECE_TRANSITIONS: Readonly<Record<PieceStatus, readonly PieceStatus[]>> = Object.fromEntries(
  PIECE_STATUSES.map((from) => [
    from,
    [...REVIEW_ACTIONS.map((a) => reviewMove(from, a)).filter((to) => to !== undefined), ...(BACK_TO_DRAFT.includes(from) ? (['draft'] as const) : [])],
  ]),
) as Record<PieceStatus, PieceStatus[]>;

/** Moves only a reviewer makes (permission content.posts:approve, and not on their own piece). */
export const REVIEWER_DECISIONS: readonly PieceStatus[] = PIECE_STATUSES.filter((to) => {
  const action = actionTo(to);
  return action !== undefined && DECISIONS.includes(action);
});

export const canTransition = (from: PieceStatus, to: PieceStatus): boolean => PIECE_TRANSITIONS[from].includes(to);

export function assertTransition(from: PieceStatus, to: PieceStatus): void {
  if (!canTransition(from, to)) {
    throw problems.conflict('PIECE_TRANSITION_INVALID', `a piece cannot go from ${from} to ${to}`, { from, to, allowed: [...PIECE_TRANSITIONS[from]] });
  }
}

/** Only a draft changes: what is in review or approved is what the reviewer saw. */
export function assertEditable(status: PieceStatus): void {
  if (status !== 'draft') {
    throw problems.conflict('PIECE_NOT_EDITABLE', `a piece in ${status} cannot change; move it back to draft first`, { pieceStatus: status });
  }
}

/** A rejection says why, so the author knows what to change; other moves than decisions carry no notes. */
export function assertReviewNotes(to: PieceStatus, notes: string | undefined): void {
  if (to === 'rejected' && !notes?.trim()) throw problems.invalid('PIECE_REJECTION_NOTES_REQUIRED', 'a rejection needs notes that say what to change');
  if (notes !== undefined && !REVIEWER_DECISIONS.includes(to)) throw problems.invalid('PIECE_NOTES_NOT_ALLOWED', 'notes are recorded with an approval or a rejection only');
}
