import { problems } from '@markettina/sdk';
import type { PieceStatus } from '../contracts.js';

/**
 * The review of a piece: written (draft), submitted (review), then approved or rejected by a
 * reviewer. A piece goes back to draft to be revised: withdrawn from review, after a
 * rejection, or reopened after an approval (which the approval then no longer covers).
 */
export const PIECE_TRANSITIONS: Readonly<Record<PieceStatus, readonly PieceStatus[]>> = {
  draft: ['review'],
  review: ['approved', 'rejected', 'draft'],
  approved: ['draft'],
  rejected: ['draft'],
};

/** Moves only a reviewer makes (permission content.posts:approve). */
export const REVIEWER_DECISIONS: readonly PieceStatus[] = ['approved', 'rejected'];

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

/** A rejection says why, so the author knows what to change. */
export function assertReviewNotes(to: PieceStatus, notes: string | undefined): void {
  if (to === 'rejected' && !notes?.trim()) throw problems.invalid('PIECE_REJECTION_NOTES_REQUIRED', 'a rejection needs notes that say what to change');
}
