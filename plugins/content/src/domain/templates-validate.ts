import { problems } from '@markettina/sdk';
import { parseTemplate, placeholderNames, type TemplateIssue } from './templates-syntax.js';
import { checkDeclarations, type TemplateVariable } from './templates-variables.js';

export interface TemplateCheck {
  /** Each one makes the template unusable: syntax errors, undeclared placeholders, bad declarations. */
  errors: TemplateIssue[];
  /** Worth a look but harmless: a declared variable the body never uses. */
  warnings: TemplateIssue[];
  /** Variable names the body uses, in order of first use. */
  placeholders: string[];
}

/** Everything wrong with a body and its declarations, collected in one pass. */
export function checkTemplate(body: string, variables: readonly TemplateVariable[]): TemplateCheck {
  const parsed = parseTemplate(body);
  const errors = [...parsed.errors, ...checkDeclarations(variables)];
  const declared = new Set(variables.map((v) => v.name));
  const reported = new Set<string>();
  for (const segment of parsed.segments) {
    if (segment.kind !== 'placeholder' || declared.has(segment.name) || reported.has(segment.name)) continue;
    reported.add(segment.name);
    errors.push({
      code: 'TEMPLATE_VARIABLE_UNDECLARED',
      message: `{{${segment.name}}} uses a variable that is not declared; declare it or fix the name`,
      variable: segment.name,
      ...segment.position,
    });
  }
  const placeholders = placeholderNames(parsed);
  const used = new Set(placeholders);
  const warnings = variables
    .filter((v) => !used.has(v.name))
    .map((v): TemplateIssue => ({ code: 'TEMPLATE_VARIABLE_UNUSED', message: `"${v.name}" is declared but the body never uses it`, variable: v.name }));
  errors.sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity));
  return { errors, warnings, placeholders };
}

/** The check, or the 422 a client sees for a template that cannot be saved. */
export function assertValidTemplate(body: string, variables: readonly TemplateVariable[]): TemplateCheck {
  const check = checkTemplate(body, variables);
  if (check.errors.length > 0) {
    const first = check.errors[0]!;
    const where = first.line !== undefined ? ` at line ${first.line}, column ${first.column}` : first.variable ? ` (variable "${first.variable}")` : '';
    throw problems.invalid('TEMPLATE_INVALID', `the template has ${check.errors.length} error(s); first${where}: ${first.message}`, { errors: check.errors });
  }
  return check;
}
