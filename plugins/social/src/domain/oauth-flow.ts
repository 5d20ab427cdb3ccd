import { createHash } from 'node:crypto';

/** How long an OAuth authorisation may take, from initiate to callback. */
export const FLOW_TTL_MS = 10 * 60_000;

/** States are looked up by hash: the state itself is only stored sealed. */
export const stateHash = (state: string) => createHash('sha256').update(state).digest('hex');

/** What a flow keeps sealed between initiate and callback. */
export interface FlowSecret {
  state: string;
  codeVerifier: string;
  origin: string;
  settings: Record<string, string>;
  /** Our row of a dynamically registered client, if any. */
  clientRowId: string | null;
}

export type FlowCheck = 'ok' | 'expired' | 'wrong-principal';

export function checkFlow(flow: { expiresAt: Date; principalId: string }, now: Date, principalId: string): FlowCheck {
  if (flow.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (flow.principalId !== principalId) return 'wrong-principal';
  return 'ok';
}
