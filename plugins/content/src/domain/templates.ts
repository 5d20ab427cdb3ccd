import type { PieceType } from '../contracts.js';
import { assertValidTemplate, type TemplateCheck } from './templates-validate.js';
import type { TemplateVariable } from './templates-variables.js';

/** What a client sets on a template. */
export interface TemplateFields {
  name: string;
  description: string;
  /** The kind of content the template produces. */
  contentType: PieceType;
  /** The platform it is written for, or null for any. */
  platform: string | null;
  body: string;
  variables: TemplateVariable[];
}

export type TemplatePatch = Partial<TemplateFields>;

/** Declarations as stored: `required` explicit, nothing undefined, keys in one order. */
export function normalizeVariables(variables: readonly (Omit<TemplateVariable, 'required'> & { required?: boolean })[]): TemplateVariable[] {
  return variables.map((v) => {
    const out: Record<string, unknown> = { name: v.name, type: v.type, required: v.required ?? false };
    for (const [key, value] of Object.entries(v)) if (value !== undefined && !(key in out)) out[key] = value;
    return out as unknown as TemplateVariable;
  });
}

/** A new template, or the 422 listing everything wrong with it. */
export function newTemplate(fields: TemplateFields): { state: TemplateFields; check: TemplateCheck } {
  const state = { ...fields, variables: normalizeVariables(fields.variables) };
  return { state, check: assertValidTemplate(state.body, state.variables) };
}

/** The template after `patch`, checked as a whole: a new body is checked against the old variables and the other way round. */
export function patchTemplate(current: TemplateFields, patch: TemplatePatch): { state: TemplateFields; check: TemplateCheck } {
  const state: TemplateFields = { ...current };
  for (const key of Object.keys(patch) as (keyof TemplateFields)[]) {
    if (patch[key] !== undefined) (state as unknown as Record<string, unknown>)[key] = patch[key];
  }
  return newTemplate(state);
}
