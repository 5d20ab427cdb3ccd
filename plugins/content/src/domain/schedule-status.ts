/**
 * Where each scheduled target stands, mirrored from the social plugin's outcome events, and
 * what that means for the post as a whole. `scheduled` covers everything before an outcome
 * (waiting, being published, retrying): until the platform answers, the post is in flight.
 */
export const TARGET_STATUSES = ['scheduled', 'published', 'failed', 'unconfirmed', 'cancelled'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export const DELIVERY_STATUSES = ['unscheduled', 'scheduled', 'published', 'partially_published', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The post's delivery from its targets: cancelled targets do not count; any target still
 * in flight makes it `scheduled`; once all have an outcome it is `published` (all live),
 * `failed` (none live; an unconfirmed outcome is not known to be live) or `partially_published`.
 */
export function deliveryStatus(targets: readonly TargetStatus[]): DeliveryStatus {
  const counted = targets.filter((t) => t !== 'cancelled');
  if (counted.length === 0) return 'unscheduled';
  if (counted.includes('scheduled')) return 'scheduled';
  const published = counted.filter((t) => t === 'published').length;
  if (published === counted.length) return 'published';
  return published === 0 ? 'failed' : 'partially_published';
}

/** A target still in flight holds the post: its content may not change under it. */
export const isLive = (status: TargetStatus): boolean => status === 'scheduled';

/**
 * Whether an outcome may replace the current status. Outcomes arrive in order per
 * publication, but a redelivered or stale one must not undo a later one: published is
 * final, and a cancelled target never comes back.
 */
export function acceptsOutcome(current: TargetStatus, outcome: 'published' | 'failed' | 'unconfirmed'): boolean {
  if (current === 'published' || current === 'cancelled') return false;
  return current !== outcome;
}
