import type { ConnectorCredentials, SecretBox } from '@markettina/sdk';

/**
 * Sealed values are bound to their row (associated data = table, tenant, row id), so a
 * ciphertext copied into another row or another tenant does not open.
 */
export const sealBinding = (table: string, accountId: string, rowId: string) => `${table}:${accountId}:${rowId}`;

export function sealJson(box: SecretBox, value: unknown, binding: string): string {
  return box.seal(JSON.stringify(value), binding);
}

export function openJson<T>(box: SecretBox, sealed: string, binding: string): T {
  return JSON.parse(box.open(sealed, binding)) as T;
}

/**
 * What a refresh writes: the new credentials, keeping the old refresh token when the
 * platform sent none (or an empty one), so a refresh can never strand an account.
 */
export function mergeRefreshed(old: ConnectorCredentials, fresh: ConnectorCredentials): ConnectorCredentials {
  const merged: ConnectorCredentials = { ...old, ...fresh };
  if (!fresh.refreshToken) {
    if (old.refreshToken) merged.refreshToken = old.refreshToken;
    else delete merged.refreshToken;
  }
  if (!fresh.accessToken && old.accessToken) merged.accessToken = old.accessToken;
  if (!fresh.expiresAt) delete merged.expiresAt;
  return merged;
}

/** Whether a token expiring at `expiresAt` should be refreshed now. */
export function refreshDue(expiresAt: Date | null, now: Date, aheadSeconds: number): boolean {
  return expiresAt !== null && expiresAt.getTime() - now.getTime() <= aheadSeconds * 1000;
}
