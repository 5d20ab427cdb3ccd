/**
 * Test kit for the publish pipeline: a scripted fake platform over real HTTP, a connector
 * for it, and helpers to connect accounts and run the publish job by hand.
 */
import type { ServiceContext } from '@markettina/sdk';
import type { TestPrincipal } from '@markettina/sdk/testing';
import { socialRuntimeRef } from '../runtime.js';
import { syncDueMetrics, type MetricsSyncReport } from '../services/metrics-sync.js';
import { metricsEnrolled } from './metrics.js';
import { drainDue } from '../services/publish-worker.js';
import type { ClaimResult } from '../services/publishing.js';
import type { ScriptedPlatform } from './scripted-platform.js';

export { startScriptedPlatform, type Behaviour, type PlatformPost, type ScriptedPlatform, type ScriptedPlatformOptions } from './scripted-platform.js';
export { metricsEnrolled } from './metrics.js';
export { scriptedConnector, scriptedConnectorPlugin, type ScriptedConnectorOptions } from './scripted-connector.js';

/** The social plugin's configuration for tests against a fake on 127.0.0.1 over http, merged over `overrides`. */
export function socialTestConfig(overrides: { publishing?: Record<string, unknown>; timeouts?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    network: { allowLoopback: true, allowPlainHttp: true },
    timeouts: { connectMs: 1_000, responseMs: 2_000, ...overrides.timeouts },
    publishing: { retryBaseSeconds: 1, retryMaxSeconds: 5, pollMinSeconds: 0, pollMaxSeconds: 2, ...overrides.publishing },
  };
}

/** Connects the fake's account `handle` over REST with its API key; returns the social account. */
export async function connectScriptedAccount(caller: Pick<TestPrincipal, 'inject'>, platform: ScriptedPlatform, handle: string, connector = 'scripted'): Promise<{ id: string; externalId: string }> {
  const res = await caller.inject({ method: 'POST', url: '/v1/social/connections/credentials', payload: { connector, fields: { apiKey: platform.apiKey(handle) } } });
  if (res.statusCode !== 201) throw new Error(`connecting ${handle} answered ${res.statusCode}: ${res.body}`);
  return res.json() as { id: string; externalId: string };
}

/**
 * Runs the publish job's work once on `kernel`, as one tick would: claims and publishes
 * whatever is due until nothing is (or `budgetMs` is spent). Resolves with what became of
 * each publication it handled.
 */
export async function publishDue(kernel: { host: { contextFor(pluginId: string): ServiceContext } }, options: { budgetMs?: number } = {}): Promise<Map<string, ClaimResult>> {
  const results = new Map<string, ClaimResult>();
  await drainDue(kernel.host.contextFor('social').get(socialRuntimeRef), { budgetMs: options.budgetMs ?? 10_000, onResult: (claim, result) => results.set(claim.id, result) });
  return results;
}

/**
 * Runs one metrics sync on `kernel` as if the clock read `at` (e.g. half an hour after
 * publishing), with the plugin's configured batch sizes, once every published post is
 * enrolled for metrics (a dispatcher on some node must be running). Resolves with what it did.
 */
export async function syncMetricsAt(kernel: { host: { contextFor(pluginId: string): ServiceContext } }, at: Date): Promise<MetricsSyncReport> {
  await metricsEnrolled(kernel);
  const rt = kernel.host.contextFor('social').get(socialRuntimeRef);
  return syncDueMetrics(rt, { ...rt.config.metrics, clock: () => at });
}
