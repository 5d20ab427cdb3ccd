import { randomUUID } from 'node:crypto';
import { createConnectorContext, createOutboundAgent, RateLimited, type Connector, type ConnectorContext, type Logger } from '@markettina/sdk';
import type { ScriptedPlatform } from '@markettina/plugin-social/testing';
import type { Draft } from './fleet.js';
import { MemoryLimiter } from './limits.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const policy = { allowLoopback: true, allowPrivate: true, allowPlainHttp: true };
const timeouts = { connectMs: 5_000, responseMs: 20_000 };

export interface BareRun {
  startedAt: number;
  elapsedMs: number;
  /** Publisher keys sent, one per draft. */
  refs: string[];
  /** Publishes the in-memory budget held back (each waited, then went again). */
  refusals: number;
  completed: boolean;
}

/**
 * The baseline: the same drafts straight to the fake over HTTP through the same connector
 * and its declared budget, metered by an in-memory limiter with the kernel's algorithm. No
 * database, no claims, no leases, no outcome records: one loop per account publishes its
 * drafts in order, waiting out the budget whenever it is spent.
 */
export async function runBare(platform: ScriptedPlatform, connector: Connector, all: Draft[], timeoutMs: number): Promise<BareRun> {
  const agent = createOutboundAgent(policy, timeouts);
  const limiter = new MemoryLimiter();
  const base = { connector, tenantId: 'bare', origin: platform.origin, agent, policy, timeouts, logger: silent };
  const byAccount = new Map<string, Draft[]>();
  for (const d of all) byAccount.set(d.account.handle, [...(byAccount.get(d.account.handle) ?? []), d]);
  // Signing in is setup, as connecting is for the pipeline.
  const contexts = new Map<string, ConnectorContext>();
  for (const handle of byAccount.keys()) {
    const credentials = await connector.signIn!(createConnectorContext({ ...base, account: { id: handle, settings: {} } }), { apiKey: platform.apiKey(handle) });
    contexts.set(handle, createConnectorContext({ ...base, account: { id: handle, settings: {} }, credentials, limiter }));
  }
  const refs: string[] = [];
  let refusals = 0;
  let stopped = false;
  const startedAt = Date.now();
  const publishAll = async (handle: string, queue: Draft[]) => {
    const ctx = contexts.get(handle)!;
    for (const d of queue) {
      const ref = randomUUID();
      refs.push(ref);
      const post = connector.adapt({ text: d.text });
      for (;;) {
        if (stopped) return;
        try {
          await connector.publish(ctx, { post, idempotencyKey: ref });
          break;
        } catch (err) {
          if (!(err instanceof RateLimited)) throw err;
          refusals++;
          await new Promise((r) => setTimeout(r, err.retryAfterMs));
        }
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const completed = await Promise.race([Promise.all([...byAccount].map(([h, q]) => publishAll(h, q))).then(() => true as const), timedOut]);
  clearTimeout(timer);
  stopped = true;
  const elapsedMs = Date.now() - startedAt;
  await agent.close();
  return { startedAt, elapsedMs, refs, refusals, completed };
}
