export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export type RetryDecision = { state: 'dead' } | { state: 'pending'; delayMs: number };

/**
 * What follows the `attempts`-th failed attempt: dead once the budget is spent, otherwise a
 * wait of base·2^(attempts-1), capped at maxMs. Half the wait is fixed and half random
 * ("equal jitter"), so subscribers that failed together do not all retry together, yet
 * every wait is at least half the nominal one.
 */
export function afterFailure(attempts: number, policy: RetryPolicy, random: () => number = Math.random): RetryDecision {
  if (attempts >= policy.maxAttempts) return { state: 'dead' };
  const nominal = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return { state: 'pending', delayMs: Math.round(nominal / 2 + (random() * nominal) / 2) };
}

const MAX_ERROR_TEXT = 4000;

/**
 * The error kept on a delivery: name, code and message, bounded in size. Not the stack:
 * tenant admins read this through the API; the stack goes to the log.
 */
export function errorText(error: unknown): string {
  let text: string;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    text = `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`;
  } else {
    text = typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
  }
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}
