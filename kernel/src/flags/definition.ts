import { PLAN_TIERS, type FlagDeclaration, type FlagRollout, type FlagTargetingRule, type FlagType, type FlagValue } from '@markettina/sdk';

/** `<owner>.<name>`: the owner is `kernel` or a plugin id, so keys of different owners never collide. */
export const FLAG_KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z0-9]+([._-][a-z0-9]+)*$/;
// fastify matches path parameters of at most 100 characters, and keys travel in paths.
export const FLAG_KEY_MAX = 100;
export const FLAG_TYPES: readonly FlagType[] = ['boolean', 'string', 'number', 'object'];

/** A flag as the kernel stores it: the declaration plus what operators control. */
export interface StoredFlag {
  key: string;
  owner: string;
  /** `declared`: by plugin or kernel code (type and default follow the code); `admin`: created through the API. */
  origin: 'declared' | 'admin';
  description: string;
  type: FlagType;
  defaultValue: FlagValue;
  /** False is the kill switch: the default for everyone, overrides included. */
  enabled: boolean;
  rollout: FlagRollout | null;
  targeting: FlagTargetingRule[];
  updatedAt: string;
}

export const flagOwner = (key: string) => key.slice(0, key.indexOf('.'));

export function valueMatches(type: FlagType, value: unknown): value is FlagValue {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

export const describeValue = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

/** Checks the rules of a flag of `type`; returns what is wrong, or undefined. */
export function checkRules(type: FlagType, rollout: FlagRollout | null | undefined, targeting: FlagTargetingRule[] | undefined): string | undefined {
  if (rollout) {
    if (typeof rollout.percentage !== 'number' || !(rollout.percentage >= 0 && rollout.percentage <= 100)) {
      return 'rollout.percentage must be a number from 0 to 100';
    }
    if (!valueMatches(type, rollout.value)) return `rollout.value must be a ${type}, not ${describeValue(rollout.value)}`;
  }
  for (const [i, rule] of (targeting ?? []).entries()) {
    if (!Array.isArray(rule.planTiers) || rule.planTiers.length === 0 || rule.planTiers.some((t) => !PLAN_TIERS.includes(t))) {
      return `targeting[${i}].planTiers must list plan tiers among ${PLAN_TIERS.join(', ')}`;
    }
    if (!valueMatches(type, rule.value)) return `targeting[${i}].value must be a ${type}, not ${describeValue(rule.value)}`;
  }
  return undefined;
}

/** Checks a declaration made by `owner`; returns what is wrong, or undefined. */
export function checkDeclaration(owner: string, flag: FlagDeclaration): string | undefined {
  if (typeof flag.key !== 'string' || !FLAG_KEY.test(flag.key) || flag.key.length > FLAG_KEY_MAX) {
    return `flag key "${String(flag.key)}" must look like "${owner}.<name>" (lowercase letters, digits, ".", "_", "-"; at most ${FLAG_KEY_MAX} characters)`;
  }
  if (flagOwner(flag.key) !== owner) return `flag key "${flag.key}" must start with "${owner}." (keys are namespaced by their owner)`;
  if (!FLAG_TYPES.includes(flag.type)) return `flag "${flag.key}" has type "${String(flag.type)}"; use one of ${FLAG_TYPES.join(', ')}`;
  if (!valueMatches(flag.type, flag.defaultValue)) {
    return `flag "${flag.key}" is a ${flag.type} flag but its defaultValue is ${describeValue(flag.defaultValue)}`;
  }
  const rules = checkRules(flag.type, flag.rollout, flag.targeting);
  return rules ? `flag "${flag.key}": ${rules}` : undefined;
}
