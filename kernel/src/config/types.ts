import type { JobsConfig } from '../jobs/runtime.js';

import type { IdempotencyConfig } from '../idempotency/service.js';
import type { RateLimitConfig } from '../ratelimit/service.js';

export interface PluginEntry {
  package: string;
  config: Record<string, unknown>;
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
  /** Schedules and the durable job queue; see kernel/src/jobs. */
  jobs: JobsConfig;
  plugins: PluginEntry[];
}
