import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeVariables } from '../../src/domain/templates.js';
import { renderTemplate } from '../../src/domain/templates-render.js';
import type { TemplateVariable } from '../../src/domain/templates-variables.js';
import { problemOf } from '../fixtures/problems.js';

const vars = (...v: (Partial<TemplateVariable> & Pick<TemplateVariable, 'name' | 'type'>)[]) => normalizeVariables(v);
const en = { locale: 'en', maxLength: 10_000 };

const valueErrors = (fn: () => unknown) => {
  const problem = problemOf(fn);
  assert.equal(problem.status, 422);
  assert.equal(problem.code, 'TEMPLATE_VALUES_INVALID');
  return (problem.extensions.errors as { variable: string; code: string }[]).map((e) => `${e.variable}:${e.code}`);
};

describe('rendering templates', () => {
  const offer = vars(
    { name: 'name', type: 'string', required: true, maxLength: 20 },
    { name: 'price', type: 'number', required: true, min: 0, style: 'currency', currency: 'EUR' },
    { name: 'until', type: 'date', required: true },
    { name: 'link', type: 'url' },
    { name: 'tier', type: 'enum', options: ['gold', 'silver'], default: 'silver' },
    { name: 'vip', type: 'boolean', trueText: 'VIP', falseText: 'member' },
  );
  const body = 'Hi {{name}} ({{tier}}, {{vip}}): {{price}} until {{until}}. {{link}}';

  test('values are formatted for the locale given at render time', () => {
    const values = { name: 'Ada', price: 1234.5, until: '2027-03-01', vip: true };
    assert.equal(renderTemplate(body, offer, values, en), 'Hi Ada (silver, VIP): €1,234.50 until Mar 1, 2027. ');
    assert.equal(renderTemplate(body, offer, values, { ...en, locale: 'de-DE' }), 'Hi Ada (silver, VIP): 1.234,50\u00a0€ until 01.03.2027. ');
    assert.equal(renderTemplate(body, offer, values, { ...en, locale: 'it-IT' }), 'Hi Ada (silver, VIP): 1234,50\u00a0€ until 1 mar 2027. ');
  });

  test('number and date options shape the text', () => {
    const v = vars({ name: 'n', type: 'number', maximumFractionDigits: 0 }, { name: 'p', type: 'number', style: 'percent' }, { name: 'd', type: 'date', dateStyle: 'full' });
    assert.equal(renderTemplate('{{n}} {{p}} {{d}}', v, { n: 2.6, p: 0.25, d: '2027-12-31' }, en), '3 25% Friday, December 31, 2027');
  });

  test('a day never shifts, whatever the time zone of the server', () => {
    const v = vars({ name: 'd', type: 'date', dateStyle: 'short' });
    assert.equal(renderTemplate('{{d}}', v, { d: '2027-01-01' }, { ...en, locale: 'en-US' }), '1/1/27');
  });

  test('every value problem is reported at once, by variable', () => {
    const errors = valueErrors(() => renderTemplate(body, offer, { name: 'x'.repeat(21), price: -1, until: '2027-02-30', link: 'javascript:alert(1)', tier: 'bronze', vip: 'yes' }, en));
    assert.deepEqual(errors.sort(), ['link:VALUE_URL_INVALID', 'name:VALUE_TOO_LONG', 'price:VALUE_TOO_SMALL', 'tier:VALUE_NOT_AN_OPTION', 'until:VALUE_DATE_INVALID', 'vip:VALUE_TYPE'].sort());
  });

  test('required values must be given; optional ones render empty or as their default', () => {
    assert.deepEqual(valueErrors(() => renderTemplate(body, offer, {}, en)).sort(), ['name:VALUE_REQUIRED', 'price:VALUE_REQUIRED', 'until:VALUE_REQUIRED']);
    assert.equal(renderTemplate('[{{link}}][{{tier}}]', offer.slice(3, 5), { link: null }, en), '[][silver]');
  });

  test('types are strict: numbers are not text, text is not a number', () => {
    const v = vars({ name: 'n', type: 'number', integer: true, max: 10 }, { name: 's', type: 'string' });
    assert.deepEqual(valueErrors(() => renderTemplate('{{n}}{{s}}', v, { n: '5', s: 5 }, en)).sort(), ['n:VALUE_TYPE', 's:VALUE_TYPE']);
    assert.deepEqual(valueErrors(() => renderTemplate('{{n}}', v.slice(0, 1), { n: 2.5 }, en)), ['n:VALUE_NOT_INTEGER']);
    assert.deepEqual(valueErrors(() => renderTemplate('{{n}}', v.slice(0, 1), { n: 11 }, en)), ['n:VALUE_TOO_LARGE']);
  });

  test('values that are not variables are refused, prototype members included', () => {
    const v = vars({ name: 'name', type: 'string' });
    const values = JSON.parse('{"name": "Ada", "__proto__": {"polluted": true}, "constructor": "x", "nmae": "typo"}') as Record<string, unknown>;
    assert.deepEqual(valueErrors(() => renderTemplate('{{name}}', v, values, en)).sort(), ['__proto__:VALUE_UNKNOWN', 'constructor:VALUE_UNKNOWN', 'nmae:VALUE_UNKNOWN']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a value is inserted as text: placeholders inside it are never expanded', () => {
    const v = vars({ name: 'a', type: 'string' }, { name: 'b', type: 'string' });
    const out = renderTemplate('{{a}} / {{b}}', v, { a: '{{b}} {{constructor}} ${process.exit()} \\{{b}}', b: 'B' }, en);
    assert.equal(out, '{{b}} {{constructor}} ${process.exit()} \\{{b}} / B');
  });

  test('markup in values is left as the characters it is (the output is text, not HTML)', () => {
    const v = vars({ name: 'a', type: 'string' });
    assert.equal(renderTemplate('<p>{{a}}</p>', v, { a: '<script>alert(1)</script>' }, en), '<p><script>alert(1)</script></p>');
  });

  test('control characters in text values are refused', () => {
    const v = vars({ name: 'a', type: 'string' });
    assert.deepEqual(valueErrors(() => renderTemplate('{{a}}', v, { a: 'nul\u0000byte' }, en)), ['a:VALUE_CONTROL_CHARACTERS']);
    assert.equal(renderTemplate('{{a}}', v, { a: 'two\nlines\ttab' }, en), 'two\nlines\ttab');
  });

  test('output longer than the bound is a 422, never a cut text; the bound counts characters', () => {
    const v = vars({ name: 'a', type: 'string' });
    const problem = problemOf(() => renderTemplate('{{a}}{{a}}{{a}}', v, { a: 'x'.repeat(400) }, { ...en, maxLength: 1000 }));
    assert.deepEqual([problem.status, problem.code, problem.extensions.maxLength], [422, 'TEMPLATE_OUTPUT_TOO_LONG', 1000]);
    assert.equal(renderTemplate('{{a}}', v, { a: '👋'.repeat(10) }, { ...en, maxLength: 10 }), '👋'.repeat(10));
  });

  test('a locale that is not a BCP 47 tag is a 422', () => {
    const problem = problemOf(() => renderTemplate('x', [], {}, { ...en, locale: 'not a locale!' }));
    assert.deepEqual([problem.status, problem.code], [422, 'TEMPLATE_LOCALE_INVALID']);
  });

  test('a body with syntax errors does not render', () => {
    assert.equal(problemOf(() => renderTemplate('{{a.b}}', [], {}, en)).code, 'TEMPLATE_INVALID');
  });
});
