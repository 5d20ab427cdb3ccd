import type {
  ConfigSchemas,
  EventDeclaration,
  EventSubscription,
  ExtensionPointRef,
  FlagDeclaration,
  JobDeclaration,
  Migration,
  PluginDefinition,
  PluginManifest,
  ServiceFactory,
  ServiceRef,
  StartHook,
  TaskDeclaration,
  TenantHook,
} from '@markettina/sdk';
import { PluginError } from '@markettina/sdk';
import type { FastifyPluginAsync } from 'fastify';
import { checkDeclaration } from '../flags/definition.js';

export interface ServiceRegistration {
  ref: ServiceRef<unknown>;
  factory: ServiceFactory<unknown, 'root' | 'request'>;
}

/** Everything one plugin declared in `register`, plus its deployment config. */
export interface Registration {
  id: string;
  manifest: PluginManifest;
  packageName: string;
  config: Record<string, unknown>;
  routes: FastifyPluginAsync[];
  migrations: Migration[];
  services: ServiceRegistration[];
  subscriptions: EventSubscription[];
  events: EventDeclaration[];
  jobs: JobDeclaration[];
  tasks: TaskDeclaration[];
  extensionPoints: ExtensionPointRef<unknown>[];
  extensions: { point: ExtensionPointRef<unknown>; value: unknown }[];
  schemas: ConfigSchemas;
  onTenantEnabled: TenantHook[];
  onTenantDisabled: TenantHook[];
  onStart: StartHook[];
  flags: FlagDeclaration[];
}

/** Runs a plugin's `register` against a recording registrar. */
export function collectRegistration(
  definition: PluginDefinition,
  packageName: string,
  config: Record<string, unknown>,
): Registration {
  const { manifest } = definition;
  const id = manifest.id;
  const reg: Registration = {
    id,
    manifest,
    packageName,
    config,
    routes: [],
    migrations: [],
    services: [],
    subscriptions: [],
    events: [],
    jobs: [],
    tasks: [],
    extensionPoints: [],
    extensions: [],
    schemas: {},
    onTenantEnabled: [],
    onTenantDisabled: [],
    onStart: [],
    flags: [],
  };
  const fail = (code: string, msg: string) => {
    throw new PluginError(code, `plugin "${id}": ${msg}`, id);
  };
  const result: unknown = definition.register({
    routes: (routes) => void reg.routes.push(routes),
    migrations: (list) => void reg.migrations.push(...list),
    provide: (ref, factory) => {
      if (!(manifest.provides ?? []).some((r) => r.id === ref.id)) {
        fail('PLUGIN_UNDECLARED_PROVIDE', `provides "${ref.id}" but does not list it in manifest.provides; add it there`);
      }
      reg.services.push({ ref, factory: factory as ServiceRegistration['factory'] });
    },
    subscribe: (sub) => {
      if (reg.subscriptions.some((s) => s.subscriberId === sub.subscriberId)) {
        fail('PLUGIN_DUPLICATE_SUBSCRIBER', `subscriberId "${sub.subscriberId}" is used twice; give each subscription its own id`);
      }
      reg.subscriptions.push(sub);
    },
    publishes: (event) => void reg.events.push(event),
    job: (job) => {
      if (reg.jobs.some((j) => j.id === job.id)) fail('PLUGIN_DUPLICATE_JOB', `job id "${job.id}" is declared twice`);
      reg.jobs.push(job);
    },
    task: (task) => {
      if (!task.type.startsWith(`${id}.`)) fail('PLUGIN_TASK_TYPE_INVALID', `task type "${task.type}" must start with "${id}." so that types stay unique across plugins`);
      if (reg.tasks.some((t) => t.type === task.type)) fail('PLUGIN_DUPLICATE_TASK', `task type "${task.type}" is declared twice`);
      reg.tasks.push(task as unknown as TaskDeclaration);
    },
    extensionPoint: (point) => void reg.extensionPoints.push(point as ExtensionPointRef<unknown>),
    extend: (point, value) => void reg.extensions.push({ point: point as ExtensionPointRef<unknown>, value }),
    config: (schemas) => void Object.assign(reg.schemas, schemas),
    onTenantEnabled: (hook) => void reg.onTenantEnabled.push(hook),
    onTenantDisabled: (hook) => void reg.onTenantDisabled.push(hook),
    onStart: (hook) => void reg.onStart.push(hook),
    flag: (flag) => {
      const problem = checkDeclaration(id, flag);
      if (problem) fail('PLUGIN_FLAG_INVALID', problem);
      if (reg.flags.some((f) => f.key === flag.key)) fail('PLUGIN_DUPLICATE_FLAG', `flag "${flag.key}" is declared twice`);
      reg.flags.push(structuredClone(flag));
    },
  });
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    fail('PLUGIN_ASYNC_REGISTER', 'register() returned a promise; register only declares, so it must be synchronous');
  }
  for (const ref of manifest.provides ?? []) {
    if (!reg.services.some((s) => s.ref.id === ref.id)) {
      fail('PLUGIN_PROVIDE_MISSING', `lists "${ref.id}" in manifest.provides but never calls reg.provide() for it`);
    }
  }
  return reg;
}
