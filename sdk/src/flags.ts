import type { Knex } from 'knex';
import type { PlanTier, TenantInfo } from './context.js';

/** The value types a flag can have; a flag keeps its type for life. */
export type FlagType = 'boolean' | 'string' | 'number' | 'object';
export type FlagObject = { [key: string]: unknown };
export type FlagValue = boolean | string | number | FlagObject;

/** OpenFeature resolution reasons, with the meaning the kernel gives them. */
export type FlagReason =
  /** The flag has no targeting and no rollout: everyone gets its default. */
  | 'STATIC'
  /** A tenant override or a plan-tier rule decided the value. */
  | 'TARGETING_MATCH'
  /** The tenant fell inside the percentage rollout. */
  | 'SPLIT'
  /** The flag has rules, none applied, so its default was used. */
  | 'DEFAULT'
  /** The flag is switched off (kill switch): its default, whatever the rules say. */
  | 'DISABLED'
  /** Evaluation failed; the caller's default was returned. */
  | 'ERROR';

/** OpenFeature error codes an evaluation can report. */
export type FlagErrorCode = 'FLAG_NOT_FOUND' | 'TYPE_MISMATCH' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT' | 'PARSE_ERROR' | 'GENERAL';

export interface FlagEvaluation<T = FlagValue> {
  key: string;
  value: T;
  /** Which branch produced the value: `default`, `override`, a rule's variant, `rollout`. */
  variant?: string;
  reason: FlagReason;
  errorCode?: FlagErrorCode;
  errorMessage?: string;
}

/** Tenants whose `hash(flag key, tenant id)` falls below `percentage`% get `value`. */
export interface FlagRollout {
  percentage: number;
  value: FlagValue;
  variant?: string;
}

/** Tenants on one of `planTiers` get `value`. Rules are tried in order; the first match wins. */
export interface FlagTargetingRule {
  planTiers: PlanTier[];
  value: FlagValue;
  variant?: string;
}

/**
 * A flag a plugin declares in `register` with `reg.flag({...})`. The key is namespaced by
 * the plugin id (`social.threads-enabled`). The declaration is the flag's initial state:
 * operators may later change its rollout and targeting through the admin API, and those
 * changes survive restarts.
 */
export interface FlagDeclaration {
  key: string;
  description: string;
  type: FlagType;
  defaultValue: FlagValue;
  rollout?: FlagRollout;
  targeting?: FlagTargetingRule[];
}

/**
 * Whom a flag is evaluated for. Inside a request or handler pass its context (`req.ctx`,
 * a handler's `ctx`): a cold cache is then filled through that transaction in one query.
 * A bare `TenantInfo` works anywhere.
 */
export type FlagTenant = TenantInfo | { tenant: TenantInfo; db: Knex.Transaction };

type Widen<T> = T extends boolean ? boolean : T extends string ? string : T extends number ? number : T;

/**
 * Feature flags for plugins. Order of evaluation: a disabled flag answers its default;
 * otherwise tenant override > plan-tier targeting > percentage rollout > default.
 */
export interface FeatureFlags {
  /** Never throws: on any problem the result carries `defaultValue` with reason ERROR. */
  evaluate<T extends FlagValue>(key: string, tenant: FlagTenant, defaultValue: T): Promise<FlagEvaluation<Widen<T>>>;
  /** A boolean flag's value; false when the flag is missing or cannot be evaluated. Never throws. */
  isEnabled(key: string, tenant: FlagTenant): Promise<boolean>;
}
