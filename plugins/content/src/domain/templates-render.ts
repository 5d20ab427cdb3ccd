import { problems } from '@markettina/sdk';
import { parseTemplate, type TemplateIssue } from './templates-syntax.js';
import { checkValue, formatValue, type TemplateVariable, type VariableValue } from './templates-variables.js';

export interface RenderOptions {
  /** BCP 47 language tag numbers and dates are formatted for, e.g. `it-IT`. */
  locale: string;
  /** Longest output, in characters; longer is a 422, never a truncated text. */
  maxLength: number;
}

/** The canonical form of a BCP 47 tag, or a 422 for one that is not a tag. */
export function canonicalLocale(locale: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    if (canonical) return canonical;
  } catch {
    // falls through to the problem below
  }
  throw problems.invalid('TEMPLATE_LOCALE_INVALID', `"${locale.slice(0, 40)}" is not a BCP 47 language tag, e.g. en-US or it`);
}

/**
 * Each variable's checked value, or undefined for an optional variable left out. Names are
 * looked up in a Map and with Object.hasOwn on `values`, so `__proto__`, `constructor` and
 * other inherited members are just unknown names.
 */
function resolveValues(variables: readonly TemplateVariable[], values: Readonly<Record<string, unknown>>): Map<string, VariableValue | undefined> {
  const declared = new Map(variables.map((v) => [v.name, v]));
  const errors: TemplateIssue[] = [];
  for (const name of Object.keys(values)) {
    if (!declared.has(name)) errors.push({ variable: name.slice(0, 100), code: 'VALUE_UNKNOWN', message: 'the template declares no such variable' });
  }
  const resolved = new Map<string, VariableValue | undefined>();
  for (const v of variables) {
    const given = Object.hasOwn(values, v.name) ? values[v.name] : undefined;
    const raw = given ?? v.default;
    if (raw === undefined || raw === null) {
      if (v.required) errors.push({ variable: v.name, code: 'VALUE_REQUIRED', message: 'a value is required' });
      resolved.set(v.name, undefined);
      continue;
    }
    const check = checkValue(v, raw);
    if (check.ok) resolved.set(v.name, check.value);
    else errors.push({ variable: v.name, code: check.code, message: check.message });
  }
  if (errors.length > 0) {
    throw problems.invalid('TEMPLATE_VALUES_INVALID', `${errors.length} value(s) do not fit the template's variables: ${errors.map((e) => `${e.variable} ${e.message}`).join('; ')}`.slice(0, 1000), { errors });
  }
  return resolved;
}

/**
 * Renders a saved template. Values are checked against their declarations (all problems in
 * one 422), formatted for the locale, and written into the output as plain text in a single
 * pass over the parsed body: a value containing `{{name}}` stays those characters, because
 * the output is never parsed again.
 */
export function renderTemplate(body: string, variables: readonly TemplateVariable[], values: Readonly<Record<string, unknown>>, options: RenderOptions): string {
  const parsed = parseTemplate(body);
  // Saved templates were checked on save; this guards a body written by any other path.
  if (parsed.errors.length > 0) throw problems.invalid('TEMPLATE_INVALID', 'the template has syntax errors; fix and save it again', { errors: parsed.errors });
  const locale = canonicalLocale(options.locale);
  const resolved = resolveValues(variables, values);
  const byName = new Map(variables.map((v) => [v.name, v]));

  let out = '';
  let length = 0;
  for (const segment of parsed.segments) {
    let piece: string;
    if (segment.kind === 'text') piece = segment.text;
    else {
      const variable = byName.get(segment.name);
      if (!variable) throw problems.invalid('TEMPLATE_INVALID', `{{${segment.name}}} is not declared`, { errors: [{ code: 'TEMPLATE_VARIABLE_UNDECLARED', variable: segment.name, message: 'not declared' }] });
      const value = resolved.get(segment.name);
      piece = value === undefined ? '' : formatValue(variable, value, locale);
    }
    length += [...piece].length;
    if (length > options.maxLength) {
      throw problems.invalid('TEMPLATE_OUTPUT_TOO_LONG', `the rendered text would be longer than ${options.maxLength} characters`, { maxLength: options.maxLength });
    }
    out += piece;
  }
  return out;
}
