import { ProblemError, type RateLimitDecision, type RateLimiter } from '@markettina/sdk';
import { ACCOUNT_LOGIN_BUCKET, deviceBucket, emailBucket } from '../domain/email.js';
import type { IdentityConfig } from '../config.js';

const throttled = (decision: RateLimitDecision, what: string) => {
  const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  return new ProblemError({
    status: 429,
    code: 'LOGIN_THROTTLED',
    title: 'Too many login attempts',
    detail: `too many login attempts for this ${what}; retry after ${retryAfter} s`,
    extensions: { retryAfterSeconds: retryAfter },
    headers: { 'retry-after': String(retryAfter) },
  });
};

/**
 * Login attempts, successful or not, spend two budgets of the kernel's rate limiter (shared
 * by every node): one per account, one per email within it. A login from one of the user's
 * trusted devices spends that device's budget instead of the email's, so hammering an
 * address cannot lock its owner out.
 */
export class LoginThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly budgets: IdentityConfig['login'],
  ) {}

  async spend(accountId: string, email: string, trustedDeviceId?: string): Promise<void> {
    const account = await this.limiter.consume({ accountId, bucket: ACCOUNT_LOGIN_BUCKET }, { name: 'login-account', ...this.budgets.perAccount });
    if (!account.allowed) throw throttled(account, 'account');
    const bucket = trustedDeviceId ? deviceBucket(trustedDeviceId) : emailBucket(email);
    const personal = await this.limiter.consume({ accountId, bucket }, { name: trustedDeviceId ? 'login-device' : 'login-email', ...this.budgets.perEmail });
    if (!personal.allowed) throw throttled(personal, trustedDeviceId ? 'device' : 'email');
  }
}
