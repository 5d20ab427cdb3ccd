import type { JobsConfig } from '../jobs/runtime.js';

export interface PluginEntry {
  package: string;
  config: Record<string, unknown>;
}

export interface KernelConfig {
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
