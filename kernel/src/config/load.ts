import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import defaults from '../../../config/default.json' with { type: 'json' };
import schema from '../../../config/schema.json' with { type: 'json' };
import type { KernelConfig, PluginEntry } from './types.js';
import { ConfigError } from '../errors.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A tagged section (`{ kind: ... }`) whose kind changes is a different shape: it replaces, never merges. */
const sameShape = (a: Json, b: Json): boolean => !('kind' in a && 'kind' in b) || a.kind === b.kind;

/** Objects merge key by key; arrays and scalars replace. */
export function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObject(v) && isObject(out[k]) && sameShape(out[k] as Json, v) ? deepMerge(out[k] as Json, v) : v;
  }
  return out;
}

export interface LoadConfigOptions {
  /** Path of a deployment file; falls back to MARKETTINA_CONFIG, then ./markettina.config.json. */
  file?: string;
  /** Applied after the file and before the environment (tests, embedding). */
  overrides?: Json;
  env?: NodeJS.ProcessEnv;
}

function readFile(path: string): Json {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isObject(parsed)) throw new Error('the top level must be an object');
    return parsed;
  } catch (err) {
    throw new ConfigError('CONFIG_UNREADABLE', `cannot read configuration file ${path}: ${(err as Error).message}`);
  }
}

function fromEnv(env: NodeJS.ProcessEnv): Json {
  const out: Json = {};
  const server: Json = {};
  if (env.PORT) server.port = Number(env.PORT);
  if (env.HOST) server.host = env.HOST;
  if (Object.keys(server).length) out.server = server;
  const database: Json = {};
  if (env.DATABASE_URL) database.url = env.DATABASE_URL;
  if (env.DATABASE_APP_PASSWORD) database.appPassword = env.DATABASE_APP_PASSWORD;
  if (Object.keys(database).length) out.database = database;
  if (env.MARKETTINA_SECRET_KEYS) {
    try {
      out.secrets = JSON.parse(env.MARKETTINA_SECRET_KEYS) as Json;
    } catch {
      throw new ConfigError('CONFIG_ENV_INVALID', 'MARKETTINA_SECRET_KEYS must be JSON: {"keys":{"k1":"<base64>"},"activeKeyId":"k1"}');
    }
  }
  if (env.LOG_LEVEL) out.logging = { level: env.LOG_LEVEL };
  return out;
}

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

export function loadConfig(options: LoadConfigOptions = {}): KernelConfig {
  const env = options.env ?? process.env;
  let merged: Json = structuredClone(defaults) as Json;
  const file = options.file ?? env.MARKETTINA_CONFIG ?? (existsSync('markettina.config.json') ? 'markettina.config.json' : undefined);
  if (file) merged = deepMerge(merged, readFile(resolve(file)));
  if (options.overrides) merged = deepMerge(merged, options.overrides);
  merged = deepMerge(merged, fromEnv(env));
  if (!validate(merged)) {
    const errs = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new ConfigError('CONFIG_INVALID', `deployment configuration is invalid: ${errs}`);
  }
  const cfg = merged as unknown as KernelConfig & { plugins: (string | PluginEntry)[] };
  cfg.plugins = cfg.plugins.map((p) => (typeof p === 'string' ? { package: p, config: {} } : { package: p.package, config: p.config ?? {} }));
  return cfg as KernelConfig;
}
