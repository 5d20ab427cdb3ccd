import type { JobsConfig } from '../jobs/runtime.js';

import type { IdempotencyConfig } from '../idempotency/service.js';
import type { RateLimitConfig } from '../ratelimit/service.js';
import type { StorageConfig } from '../blobs/index.js';

export interface PluginEntry {
  package: string;
  config: Record<string, unknown>;
}

/** The event bus: dispatching, retries and partition upkeep. */
export interface EventsConfig {
  /** Whether this node runs a dispatcher (off for nodes that only serve requests). */
  dispatcher: boolean;
  /** Deliveries handled at once on this node (each holds a database connection). */
  concurrency: number;
  /** Deliveries of one tenant and plugin a slot claims and handles in one transaction. */
  batchSize: number;
  /** How often an idle dispatcher looks for due deliveries; NOTIFY usually wakes it sooner. */
  pollIntervalMs: number;
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: number;
  /** Exponential backoff between attempts: base·2^(attempt-1), capped, with jitter. */
  backoff: { baseMs: number; maxMs: number };
  /** Monthly partitions of domain_events kept ahead of the current month. */
  partitionsAhead: number;
}

export interface KernelConfig {
  /** Route-class budgets per plan tier; see kernel/src/ratelimit. */
  rateLimits: RateLimitConfig;
  /** Idempotency-Key handling; see kernel/src/idempotency. */
  idempotency: IdempotencyConfig;
  server: { host: string; port: number; trustProxy: boolean; bodyLimit: number };
  database: {
    url: string | null;
    appRole: string;
    appPassword: string | null;
    pool: { min: number; max: number };
    embedded: { dataDir: string; port: number };
  };
  secrets: { keys: Record<string, string>; activeKeyId: string | null };
  logging: { level: string; pretty: boolean };
  /** Where blobs live; see kernel/src/blobs. */
  storage: StorageConfig;
  /** Schedules and the durable job queue; see kernel/src/jobs. */
  jobs: JobsConfig;
  plugins: PluginEntry[];
  events: EventsConfig;
}
