export type PlanTier = 'free' | 'starter' | 'pro' | 'enterprise';
export const PLAN_TIERS: readonly PlanTier[] = ['free', 'starter', 'pro', 'enterprise'];

export interface TenantInfo {
  accountId: string;
  planTier: PlanTier;
}

/** Who is calling: a user, an API key, a platform admin or a service. */
export interface Principal {
  id: string;
  type: 'user' | 'api_key' | 'admin' | 'service';
  accountId: string;
  /** Granted permissions; `*` grants all, `<plugin>.*` all of one plugin. */
  permissions: readonly string[];
}

export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export function hasPermission(granted: readonly string[], required: string): boolean {
  if (granted.includes('*') || granted.includes(required)) return true;
  const plugin = required.split('.')[0];
  return granted.includes(`${plugin}.*`);
}
