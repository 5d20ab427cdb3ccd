import semver from 'semver';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { KERNEL_API_VERSION, PLUGIN_ID, PluginError, type JsonSchema, type PluginDefinition } from '@markettina/sdk';
import type { Registration } from './registration.js';

const PERMISSION = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;

export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv;
}

const ajv = createAjv();

export const formatAjvErrors = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');

/** Validates `value` against `schema`, applying defaults in place; returns error text or undefined. */
export function checkAgainst(schema: JsonSchema, value: unknown): string | undefined {
  const validate = ajv.compile(schema);
  return validate(value) ? undefined : formatAjvErrors(validate.errors);
}

export function assertPluginShape(def: unknown, packageName: string): asserts def is PluginDefinition {
  const d = def as PluginDefinition | undefined;
  if (!d || typeof d !== 'object' || !d.manifest || typeof d.register !== 'function') {
    throw new PluginError(
      'PLUGIN_INVALID_EXPORT',
      `package "${packageName}" does not default-export a plugin; export default definePlugin({ manifest, register })`,
    );
  }
  if (typeof d.manifest.id !== 'string' || !PLUGIN_ID.test(d.manifest.id)) {
    throw new PluginError('PLUGIN_INVALID_ID', `package "${packageName}" has plugin id "${String(d.manifest.id)}"; ids are kebab-case`);
  }
}

/** Checks one plugin against the kernel: API range, config, permissions, extensions. */
export function validateRegistration(reg: Registration): void {
  const { id, manifest } = reg;
  const range = manifest.kernel;
  if (!semver.validRange(range)) {
    throw new PluginError('PLUGIN_KERNEL_RANGE_INVALID', `plugin "${id}" declares kernel range "${range}", which is not a semver range`, id);
  }
  if (!semver.satisfies(KERNEL_API_VERSION, range)) {
    throw new PluginError(
      'PLUGIN_KERNEL_RANGE_MISMATCH',
      `plugin "${id}" supports kernel API ${range}, but this kernel speaks ${KERNEL_API_VERSION}; install a version of "${reg.packageName}" built for kernel ${semver.major(KERNEL_API_VERSION)}.x`,
      id,
    );
  }
  for (const p of manifest.permissions ?? []) {
    if (!PERMISSION.test(p.id) || !p.id.startsWith(`${id}.`)) {
      throw new PluginError('PLUGIN_PERMISSION_INVALID', `plugin "${id}" declares permission "${p.id}"; permissions look like "${id}.<resource>:<action>"`, id);
    }
  }
  const schema = reg.schemas.deployment ?? { type: 'object', additionalProperties: false };
  const problem = checkAgainst(schema, reg.config);
  if (problem) {
    throw new PluginError(
      'PLUGIN_CONFIG_INVALID',
      `plugin "${id}" has invalid configuration: ${problem}; fix the "config" of "${reg.packageName}" in the deployment file`,
      id,
    );
  }
  for (const e of reg.extensions) {
    try {
      e.point.validate?.(e.value);
    } catch (err) {
      throw new PluginError('PLUGIN_EXTENSION_INVALID', `plugin "${id}" contributes an invalid extension to "${e.point.id}": ${(err as Error).message}`, id);
    }
  }
}

export function declaredPermissions(regs: Registration[]): Set<string> {
  return new Set(regs.flatMap((r) => (r.manifest.permissions ?? []).map((p) => p.id)));
}
