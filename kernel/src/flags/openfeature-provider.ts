import type { EvaluationContext, JsonValue, Provider, ResolutionDetails } from '@openfeature/server-sdk';
import { ErrorCode } from '@openfeature/server-sdk';
import type { FlagValue } from '@markettina/sdk';
import type { FlagService } from './service.js';

type FlagMetadata = Record<string, string | number | boolean>;

/**
 * An OpenFeature server provider over the kernel's flags, for in-process use:
 *
 *   await OpenFeature.setProviderAndWait(kernel.flags.openFeatureProvider());
 *   await OpenFeature.getClient().getBooleanValue('social.threads-enabled', false, { targetingKey: accountId });
 *
 * The targeting key is the tenant's account id. The plan tier is looked up from the
 * account, never read from the context, so a context cannot claim a better plan.
 */
export class KernelFlagProvider implements Provider {
  readonly metadata = { name: 'markettina-kernel' } as const;
  readonly runsOn = 'server' as const;

  constructor(private readonly flags: FlagService) {}

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return this.resolve(flagKey, defaultValue, context);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return this.resolve(flagKey, defaultValue, context);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return this.resolve(flagKey, defaultValue, context);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return this.resolve(flagKey, defaultValue, context);
  }

  private async resolve<T>(flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    const accountId = context.targetingKey;
    if (typeof accountId !== 'string' || accountId === '') {
      return { value: defaultValue, reason: 'ERROR', errorCode: ErrorCode.TARGETING_KEY_MISSING, errorMessage: 'set targetingKey to the tenant (account) id' };
    }
    const result = await this.flags.evaluateFor(flagKey, { accountId }, defaultValue as FlagValue);
    const flag = this.flags.definition(flagKey);
    const flagMetadata: FlagMetadata = flag ? { owner: flag.owner } : {};
    return {
      value: result.value as T,
      reason: result.reason,
      flagMetadata,
      ...(result.variant !== undefined ? { variant: result.variant } : {}),
      ...(result.errorCode ? { errorCode: result.errorCode as ErrorCode, errorMessage: result.errorMessage } : {}),
    };
  }
}
