import type { FlagErrorCode, FlagEvaluation, FlagReason, FlagValue, PlanTier } from '@markettina/sdk';
import { inRollout } from './bucket.js';
import { describeValue, valueMatches, type StoredFlag } from './definition.js';

export interface EvaluationSubject {
  accountId: string;
  /** Unknown when the tenant could not be looked up; plan-tier rules then do not match. */
  planTier: PlanTier | undefined;
}

/** A tenant's override of one flag, as stored (its type is checked at evaluation). */
export interface FlagOverride {
  value: unknown;
}

interface Resolved {
  value: unknown;
  variant: string;
  reason: FlagReason;
}

/**
 * The evaluation order. A disabled flag is a kill switch and answers its default before
 * anything else; otherwise tenant override > plan-tier targeting > percentage rollout >
 * default.
 */
function resolve(flag: StoredFlag, subject: EvaluationSubject, override: FlagOverride | undefined): Resolved {
  if (!flag.enabled) return { value: flag.defaultValue, variant: 'default', reason: 'DISABLED' };
  if (override) return { value: override.value, variant: 'override', reason: 'TARGETING_MATCH' };
  const tier = subject.planTier;
  const index = tier ? flag.targeting.findIndex((rule) => rule.planTiers.includes(tier)) : -1;
  const rule = flag.targeting[index];
  if (rule) return { value: rule.value, variant: rule.variant ?? `targeting-${index + 1}`, reason: 'TARGETING_MATCH' };
  const { rollout } = flag;
  if (rollout && inRollout(flag.key, subject.accountId, rollout.percentage)) {
    return { value: rollout.value, variant: rollout.variant ?? 'rollout', reason: 'SPLIT' };
  }
  const hasRules = rollout !== null || flag.targeting.length > 0;
  return { value: flag.defaultValue, variant: 'default', reason: hasRules ? 'DEFAULT' : 'STATIC' };
}

const failed = <D>(key: string, value: D, errorCode: FlagErrorCode, errorMessage: string): FlagEvaluation<D> => ({
  key,
  value,
  reason: 'ERROR',
  errorCode,
  errorMessage,
});

/**
 * Evaluates one flag for one tenant. Pure and total: it never throws. On any error the
 * result is `callerDefault` (or, when the caller has none, as over OFREP, the flag's own
 * default) with reason ERROR and an OpenFeature error code.
 */
export function evaluateFlag<D extends FlagValue | undefined>(
  key: string,
  flag: StoredFlag | undefined,
  subject: EvaluationSubject,
  override: FlagOverride | undefined,
  callerDefault: D,
): FlagEvaluation<FlagValue | D> {
  try {
    if (!flag) return failed(key, callerDefault, 'FLAG_NOT_FOUND', `no flag "${key}" is defined`);
    const fallback = callerDefault ?? flag.defaultValue;
    if (callerDefault !== undefined && !valueMatches(flag.type, callerDefault)) {
      return failed(key, callerDefault, 'TYPE_MISMATCH', `flag "${key}" is a ${flag.type} flag, but the default given is ${describeValue(callerDefault)}`);
    }
    const resolved = resolve(flag, subject, override);
    if (!valueMatches(flag.type, resolved.value)) {
      return failed(key, fallback, 'TYPE_MISMATCH', `flag "${key}" is a ${flag.type} flag, but its ${resolved.variant} value is ${describeValue(resolved.value)}`);
    }
    return { key, value: resolved.value, variant: resolved.variant, reason: resolved.reason };
  } catch (err) {
    return failed(key, callerDefault ?? flag?.defaultValue, 'GENERAL', (err as Error)?.message ?? String(err)) as FlagEvaluation<FlagValue | D>;
  }
}
