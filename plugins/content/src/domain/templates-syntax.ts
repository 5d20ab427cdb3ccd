/**
 * The template language, on purpose tiny: literal text and `{{name}}` placeholders, nothing
 * else. A placeholder holds one variable name (letters, digits, underscores; spaces around
 * it are allowed), never an expression, a path (`a.b`) or a filter, so there is nothing to
 * evaluate and no object to walk. `\{{` writes a literal `{{`; a `}}` outside a placeholder
 * is plain text.
 */

/** Where something is in a body: `offset` in UTF-16 units, `line` and `column` from 1, the column in characters. */
export interface SourcePosition {
  offset: number;
  line: number;
  column: number;
}

/** A problem found in a template or its values; `variable` and the position say where. */
export interface TemplateIssue {
  code: string;
  message: string;
  variable?: string;
  offset?: number;
  line?: number;
  column?: number;
}

export type Segment = { kind: 'text'; text: string } | { kind: 'placeholder'; name: string; position: SourcePosition };

export interface ParsedTemplate {
  segments: Segment[];
  /** Syntax errors, in body order; a body with any is not a template. */
  errors: TemplateIssue[];
}

/** A variable name: what a placeholder may hold. It cannot start with `_`, so `__proto__` is never one. */
export const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** More placeholders than this in one body is a mistake (or an attempt to make rendering expensive). */
export const MAX_PLACEHOLDERS = 500;

/** Parsing stops after this many syntax errors: the first ones are what a writer fixes. */
export const MAX_ERRORS = 50;

const OPEN = '{{';
const CLOSE = '}}';
const ESCAPED_OPEN = '\\{{';

export function positionAt(body: string, offset: number): SourcePosition {
  const lineStart = body.lastIndexOf('\n', offset - 1) + 1;
  let line = 1;
  for (let i = body.indexOf('\n'); i !== -1 && i < offset; i = body.indexOf('\n', i + 1)) line++;
  return { offset, line, column: [...body.slice(lineStart, offset)].length + 1 };
}

const issueAt = (body: string, offset: number, code: string, message: string): TemplateIssue => ({ code, message, ...positionAt(body, offset) });

/** Splits a body into text and placeholders, collecting every syntax error rather than stopping at the first. */
export function parseTemplate(body: string): ParsedTemplate {
  const segments: Segment[] = [];
  const errors: TemplateIssue[] = [];
  let text = '';
  let placeholders = 0;
  const flushText = () => {
    if (text) segments.push({ kind: 'text', text });
    text = '';
  };

  let i = 0;
  let close = 0;
  let reopen = 0;
  while (i < body.length && errors.length < MAX_ERRORS) {
    if (body.startsWith(ESCAPED_OPEN, i)) {
      text += OPEN;
      i += ESCAPED_OPEN.length;
      continue;
    }
    if (!body.startsWith(OPEN, i)) {
      text += body[i];
      i++;
      continue;
    }
    // The next "}}" and "{{" only move forward: searching again only when passed keeps parsing linear.
    if (close !== -1 && close < i + OPEN.length) close = body.indexOf(CLOSE, i + OPEN.length);
    if (reopen !== -1 && reopen < i + OPEN.length) reopen = body.indexOf(OPEN, i + OPEN.length);
    if (close === -1 || (reopen !== -1 && reopen < close)) {
      errors.push(issueAt(body, i, 'TEMPLATE_PLACEHOLDER_UNCLOSED', 'a "{{" is not closed by "}}" before the next "{{" or the end; write "\\{{" for a literal "{{"'));
      // Keep reading after it so that later errors are reported too.
      text += OPEN;
      i += OPEN.length;
      continue;
    }
    const inner = body.slice(i + OPEN.length, close).trim();
    if (inner === '') {
      errors.push(issueAt(body, i, 'TEMPLATE_PLACEHOLDER_EMPTY', 'a placeholder names no variable: write {{name}}'));
    } else if (!VARIABLE_NAME.test(inner)) {
      errors.push(
        issueAt(body, i, 'TEMPLATE_PLACEHOLDER_INVALID', `"${inner.slice(0, 80)}" is not a variable name: a placeholder holds only a name of letters, digits and underscores that starts with a letter, e.g. {{price}}`),
      );
    } else if (++placeholders > MAX_PLACEHOLDERS) {
      errors.push(issueAt(body, i, 'TEMPLATE_TOO_MANY_PLACEHOLDERS', `a template has at most ${MAX_PLACEHOLDERS} placeholders`));
      break;
    } else {
      flushText();
      segments.push({ kind: 'placeholder', name: inner, position: positionAt(body, i) });
    }
    i = close + CLOSE.length;
  }
  flushText();
  return { segments, errors };
}

/** The distinct variable names a parsed body uses, in order of first use. */
export function placeholderNames(parsed: ParsedTemplate): string[] {
  return [...new Set(parsed.segments.flatMap((s) => (s.kind === 'placeholder' ? [s.name] : [])))];
}
