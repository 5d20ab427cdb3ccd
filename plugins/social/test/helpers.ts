import type { TestKernel, TestPrincipal } from '@markettina/sdk/testing';
import { followAuthorization } from '@markettina/sdk/testing';

export const REDIRECT_URI = 'https://app.markettina.test/oauth/callback';

/** Starts an OAuth connection over REST, approves it at the fake, and completes it. */
export async function connectOAuth(caller: TestPrincipal, connector: string, setup?: Record<string, string>) {
  const started = await caller.inject({ method: 'POST', url: '/v1/social/connections/oauth', payload: { connector, ...(setup ? { setup } : {}) } });
  if (started.statusCode !== 201) throw new Error(`initiate answered ${started.statusCode}: ${started.body}`);
  const back = await followAuthorization(started.json().authorizationUrl);
  const res = await caller.inject({ method: 'POST', url: '/v1/social/connections/oauth/callback', payload: { state: back.searchParams.get('state'), code: back.searchParams.get('code') } });
  return { started: started.json() as { authorizationUrl: string; state: string; expiresAt: string }, back, res };
}

/** Event types published for a tenant, oldest first. */
export async function eventTypes(kit: TestKernel, accountId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  return kit.kernel.tenancy.withTenant(accountId, (trx) => trx('domain_events').select('type', 'data').orderBy('occurred_at'));
}
