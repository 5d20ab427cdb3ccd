import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '@markettina/sdk';

const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const compiled = new WeakMap<JsonSchema, ReturnType<Ajv2020['compile']>>();

/**
 * Checks tenant-supplied fields (connector setup, API key / app password) against the
 * connector's declared schema. Fields are strings only, so they can be sealed and passed on
 * as they are. Returns what is wrong, or undefined.
 */
export function fieldsProblem(schema: JsonSchema, value: Record<string, unknown>): string | undefined {
  for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') return `${k} must be a string`;
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  if (validate(value)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}
