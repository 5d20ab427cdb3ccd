import { VARIABLE_NAME, type TemplateIssue } from './templates-syntax.js';

export const VARIABLE_TYPES = ['string', 'number', 'date', 'url', 'enum', 'boolean'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

export const NUMBER_STYLES = ['decimal', 'percent', 'currency'] as const;
export const DATE_STYLES = ['full', 'long', 'medium', 'short'] as const;

export type VariableValue = string | number | boolean;

/**
 * A declared variable. Constraints and formatting options apply to some types only (see
 * APPLIES); declaring one on another type is an error, not silently ignored.
 */
export interface TemplateVariable {
  name: string;
  type: VariableType;
  label?: string;
  required: boolean;
  default?: VariableValue;
  /** string, url: length in characters. */
  minLength?: number;
  maxLength?: number;
  /** number: numbers; date: `YYYY-MM-DD` days, both ends included. */
  min?: number | string;
  max?: number | string;
  /** number: whole numbers only. */
  integer?: boolean;
  /** enum: the allowed values. */
  options?: string[];
  /** number formatting. */
  style?: (typeof NUMBER_STYLES)[number];
  currency?: string;
  maximumFractionDigits?: number;
  /** date formatting. */
  dateStyle?: (typeof DATE_STYLES)[number];
  /** boolean: the text written for true and false. */
  trueText?: string;
  falseText?: string;
}

type Option = Exclude<keyof TemplateVariable, 'name' | 'type' | 'label' | 'required' | 'default'>;

const APPLIES: Record<Option, readonly VariableType[]> = {
  minLength: ['string', 'url'],
  maxLength: ['string', 'url'],
  min: ['number', 'date'],
  max: ['number', 'date'],
  integer: ['number'],
  options: ['enum'],
  style: ['number'],
  currency: ['number'],
  maximumFractionDigits: ['number'],
  dateStyle: ['date'],
  trueText: ['boolean'],
  falseText: ['boolean'],
};

/**
 * Names a variable may not have even though they look like names: members every JavaScript
 * object inherits. Values are looked up in maps, never on objects, so these could do no harm;
 * refusing them keeps templates from looking as if they could reach an object's internals.
 */
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype).concat(['prototype', 'constructor']));

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Characters a value may not carry: C0/C1 controls other than tab and line breaks, which no text needs. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

/** A real calendar day written `YYYY-MM-DD`, or undefined. */
export function parseDay(text: string): Date | undefined {
  const m = DAY.exec(text);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text ? date : undefined;
}

const length = (s: string) => [...s].length;

export type ValueCheck = { ok: true; value: VariableValue } | { ok: false; code: string; message: string };

const fail = (code: string, message: string): ValueCheck => ({ ok: false, code, message });

/** Whether `raw` is a valid value of `v` (its type first, then its constraints). */
export function checkValue(v: TemplateVariable, raw: unknown): ValueCheck {
  switch (v.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : fail('VALUE_TYPE', 'expected true or false');
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return fail('VALUE_TYPE', 'expected a number');
      if (v.integer && !Number.isInteger(raw)) return fail('VALUE_NOT_INTEGER', 'expected a whole number');
      if (typeof v.min === 'number' && raw < v.min) return fail('VALUE_TOO_SMALL', `must be at least ${v.min}`);
      if (typeof v.max === 'number' && raw > v.max) return fail('VALUE_TOO_LARGE', `must be at most ${v.max}`);
      return { ok: true, value: raw };
    }
    case 'date': {
      if (typeof raw !== 'string') return fail('VALUE_TYPE', 'expected a day written YYYY-MM-DD');
      if (!parseDay(raw)) return fail('VALUE_DATE_INVALID', `"${raw.slice(0, 40)}" is not a day written YYYY-MM-DD`);
      // Same format on both sides, so text order is date order.
      if (typeof v.min === 'string' && raw < v.min) return fail('VALUE_TOO_SMALL', `must be on or after ${v.min}`);
      if (typeof v.max === 'string' && raw > v.max) return fail('VALUE_TOO_LARGE', `must be on or before ${v.max}`);
      return { ok: true, value: raw };
    }
    case 'enum':
      if (typeof raw !== 'string') return fail('VALUE_TYPE', 'expected one of the options');
      return v.options?.includes(raw) ? { ok: true, value: raw } : fail('VALUE_NOT_AN_OPTION', `must be one of: ${(v.options ?? []).join(', ')}`);
    case 'url':
    case 'string': {
      if (typeof raw !== 'string') return fail('VALUE_TYPE', v.type === 'url' ? 'expected a URL' : 'expected text');
      if (CONTROL.test(raw)) return fail('VALUE_CONTROL_CHARACTERS', 'contains control characters');
      if (v.minLength !== undefined && length(raw) < v.minLength) return fail('VALUE_TOO_SHORT', `must be at least ${v.minLength} characters`);
      if (v.maxLength !== undefined && length(raw) > v.maxLength) return fail('VALUE_TOO_LONG', `must be at most ${v.maxLength} characters`);
      if (v.type === 'url' && !isWebUrl(raw)) return fail('VALUE_URL_INVALID', 'expected an absolute http or https URL');
      return { ok: true, value: raw };
    }
  }
}

/** Only http(s): a `javascript:` or `data:` URL pasted into content is never what a marketer meant. */
function isWebUrl(text: string): boolean {
  if (/\s/u.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const issue = (variable: string, code: string, message: string): TemplateIssue => ({ code, message, variable });

/** Problems with the declarations themselves: names, constraints that do not fit the type, defaults that break them. */
export function checkDeclarations(variables: readonly TemplateVariable[]): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const seen = new Set<string>();
  for (const v of variables) {
    const name = v.name;
    if (!VARIABLE_NAME.test(name)) {
      issues.push(issue(name, 'TEMPLATE_VARIABLE_NAME_INVALID', `"${name.slice(0, 80)}" is not a variable name: letters, digits and underscores, starting with a letter, at most 64`));
      continue;
    }
    if (RESERVED.has(name)) issues.push(issue(name, 'TEMPLATE_VARIABLE_NAME_RESERVED', `"${name}" is reserved; choose another name`));
    if (seen.has(name)) issues.push(issue(name, 'TEMPLATE_VARIABLE_DUPLICATE', `"${name}" is declared more than once`));
    seen.add(name);
    issues.push(...checkOptions(v));
    if (v.default !== undefined) {
      const check = checkValue(v, v.default);
      if (!check.ok) issues.push(issue(name, 'TEMPLATE_VARIABLE_DEFAULT_INVALID', `the default ${check.message}`));
    }
  }
  return issues;
}

function checkOptions(v: TemplateVariable): TemplateIssue[] {
  const out: TemplateIssue[] = [];
  const bad = (message: string) => out.push(issue(v.name, 'TEMPLATE_VARIABLE_CONSTRAINT_INVALID', message));
  for (const key of Object.keys(APPLIES) as Option[]) {
    if (v[key] !== undefined && !APPLIES[key].includes(v.type)) bad(`${key} does not apply to a ${v.type} variable`);
  }
  if (v.minLength !== undefined && v.maxLength !== undefined && v.minLength > v.maxLength) bad('minLength is greater than maxLength');
  if (v.type === 'number') {
    for (const key of ['min', 'max'] as const) if (v[key] !== undefined && typeof v[key] !== 'number') bad(`${key} of a number variable must be a number`);
    if (v.style === 'currency' && !v.currency) bad('a currency style needs a currency code, e.g. EUR');
    if (v.currency && v.style !== 'currency') bad('currency applies only with style "currency"');
    if (v.currency && !isCurrency(v.currency)) bad(`"${v.currency}" is not an ISO 4217 currency code`);
  }
  if (v.type === 'date') {
    for (const key of ['min', 'max'] as const) if (v[key] !== undefined && (typeof v[key] !== 'string' || !parseDay(v[key]))) bad(`${key} of a date variable must be a day written YYYY-MM-DD`);
  }
  if (v.min !== undefined && v.max !== undefined && typeof v.min === typeof v.max && v.min > v.max) bad('min is greater than max');
  if (v.type === 'enum') {
    if (!v.options?.length) bad('an enum variable needs at least one option');
    else if (new Set(v.options).size !== v.options.length) bad('options repeat a value');
  }
  return out;
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 code this runtime can format (a well-formed but unknown code like ZZZ is not one). */
const isCurrency = (code: string): boolean => CURRENCIES.has(code);

/** The text a checked value becomes, formatted for `locale` (a valid BCP 47 tag). */
export function formatValue(v: TemplateVariable, value: VariableValue, locale: string): string {
  switch (v.type) {
    case 'number':
      return new Intl.NumberFormat(locale, {
        style: v.style ?? 'decimal',
        ...(v.currency ? { currency: v.currency } : {}),
        ...(v.maximumFractionDigits !== undefined ? { maximumFractionDigits: v.maximumFractionDigits, minimumFractionDigits: 0 } : {}),
      }).format(value as number);
    case 'date':
      // A day has no time zone: format its UTC midnight in UTC so it never shifts by one.
      return new Intl.DateTimeFormat(locale, { dateStyle: v.dateStyle ?? 'medium', timeZone: 'UTC' }).format(parseDay(value as string));
    case 'boolean':
      return value ? (v.trueText ?? 'yes') : (v.falseText ?? 'no');
    default:
      return String(value);
  }
}
