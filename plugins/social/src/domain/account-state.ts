import type { ConnectorError } from '@markettina/sdk';

export type AccountStatus = 'pending_channel' | 'connected' | 'reconnect_required' | 'disconnected';
export type AccountHealth = 'ok' | 'degraded' | 'failing';

export interface HealthChange {
  status: AccountStatus;
  health: AccountHealth;
  lastError: string | null;
  refreshFailures: number;
  /** Whether the change means the tenant must reconnect (and TokenExpired is published). */
  expired: boolean;
}

/** Repeated transient refresh failures before an account counts as failing. */
export const FAILING_AFTER = 3;

/**
 * How a failed platform call changes an account. Refused credentials that cannot be
 * refreshed need a reconnect; passing trouble (rate limits, outages) only lowers health.
 */
export function afterFailure(current: { status: AccountStatus; refreshFailures: number }, err: ConnectorError, canRefresh: boolean): HealthChange {
  if (err.kind === 'reconnect_required' || (err.kind === 'auth_expired' && !canRefresh)) {
    return { status: 'reconnect_required', health: 'failing', lastError: err.message, refreshFailures: current.refreshFailures, expired: current.status !== 'reconnect_required' };
  }
  const failures = current.refreshFailures + 1;
  return { status: current.status, health: failures >= FAILING_AFTER ? 'failing' : 'degraded', lastError: err.message, refreshFailures: failures, expired: false };
}

/** A successful call or refresh restores health. */
export const healthy = (status: AccountStatus): HealthChange => ({ status, health: 'ok', lastError: null, refreshFailures: 0, expired: false });
