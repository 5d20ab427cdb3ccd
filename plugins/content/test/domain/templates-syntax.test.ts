import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_ERRORS, MAX_PLACEHOLDERS, parseTemplate, placeholderNames, positionAt } from '../../src/domain/templates-syntax.js';

const codes = (body: string) => parseTemplate(body).errors.map((e) => e.code);

describe('template syntax', () => {
  test('text and placeholders, spaces inside the braces allowed', () => {
    const parsed = parseTemplate('Hi {{name}}, only {{ price }} today!');
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(
      parsed.segments.map((s) => (s.kind === 'text' ? s.text : `<${s.name}>`)),
      ['Hi ', '<name>', ', only ', '<price>', ' today!'],
    );
  });

  test('placeholders carry their line and column (in characters, after multi-unit characters too)', () => {
    const parsed = parseTemplate('Ciao 👋\nprezzo: {{price}}');
    const p = parsed.segments.find((s) => s.kind === 'placeholder');
    assert.ok(p && p.kind === 'placeholder');
    assert.deepEqual(p.position, { offset: 16, line: 2, column: 9 });
    assert.deepEqual(positionAt('ab\ncd', 4), { offset: 4, line: 2, column: 2 });
  });

  test('\\{{ writes a literal {{ and a stray }} is text', () => {
    const parsed = parseTemplate('Use \\{{name}} to insert a name }}');
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.segments, [{ kind: 'text', text: 'Use {{name}} to insert a name }}' }]);
  });

  test('an unclosed placeholder is an error at its opening braces', () => {
    const [error] = parseTemplate('Hello\n  {{name').errors;
    assert.equal(error?.code, 'TEMPLATE_PLACEHOLDER_UNCLOSED');
    assert.deepEqual([error?.line, error?.column, error?.offset], [2, 3, 8]);
  });

  test('a placeholder opened inside another is reported, and the inner one still read', () => {
    const parsed = parseTemplate('{{a {{b}}');
    assert.deepEqual(parsed.errors.map((e) => [e.code, e.column]), [['TEMPLATE_PLACEHOLDER_UNCLOSED', 1]]);
    assert.deepEqual(placeholderNames(parsed), ['b']);
  });

  test('expressions, paths, filters and empty braces are not placeholders', () => {
    for (const body of ['{{ a.b }}', '{{ 1 + 2 }}', '{{ name | upper }}', '{{constructor.constructor("x")()}}', '{{__proto__}}', '{{_private}}', '{{{name}}}', '{{ this }}x{{ na-me }}']) {
      const errors = codes(body);
      assert.ok(errors.length > 0, body);
      assert.ok(errors.every((c) => c === 'TEMPLATE_PLACEHOLDER_INVALID'), `${body}: ${errors}`);
    }
    assert.deepEqual(codes('{{}} and {{   }}'), ['TEMPLATE_PLACEHOLDER_EMPTY', 'TEMPLATE_PLACEHOLDER_EMPTY']);
  });

  test('every error is reported, not only the first', () => {
    assert.deepEqual(codes('{{a.b}} {{}} {{ok}} {{x y}} {{open'), ['TEMPLATE_PLACEHOLDER_INVALID', 'TEMPLATE_PLACEHOLDER_EMPTY', 'TEMPLATE_PLACEHOLDER_INVALID', 'TEMPLATE_PLACEHOLDER_UNCLOSED']);
  });

  test('the names used, once each, in order of first use', () => {
    assert.deepEqual(placeholderNames(parseTemplate('{{b}} {{a}} {{b}}')), ['b', 'a']);
  });

  test(`reporting stops after ${MAX_ERRORS} errors, however broken the body`, () => {
    const errors = parseTemplate('{{'.repeat(10_000)).errors;
    assert.equal(errors.length, MAX_ERRORS);
    assert.ok(errors.every((e) => e.code === 'TEMPLATE_PLACEHOLDER_UNCLOSED'));
    assert.deepEqual(parseTemplate(`${'{{ x'.repeat(5000)}}}`).errors.length, MAX_ERRORS);
  });

  test(`more than ${MAX_PLACEHOLDERS} placeholders is an error`, () => {
    assert.deepEqual(codes('{{a}}'.repeat(MAX_PLACEHOLDERS)), []);
    assert.deepEqual(codes('{{a}}'.repeat(MAX_PLACEHOLDERS + 1)), ['TEMPLATE_TOO_MANY_PLACEHOLDERS']);
  });
});
