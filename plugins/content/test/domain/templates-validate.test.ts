import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isProblemError } from '@markettina/sdk';
import { newTemplate, normalizeVariables, patchTemplate, type TemplateFields } from '../../src/domain/templates.js';
import { checkTemplate } from '../../src/domain/templates-validate.js';
import type { TemplateVariable } from '../../src/domain/templates-variables.js';

const vars = (...v: (Partial<TemplateVariable> & Pick<TemplateVariable, 'name' | 'type'>)[]) => normalizeVariables(v);
const codes = (body: string, variables: TemplateVariable[]) => checkTemplate(body, variables).errors.map((e) => `${e.variable ?? ''}:${e.code}`);

describe('checking a template when it is saved', () => {
  test('every placeholder must be declared; the error says where', () => {
    const check = checkTemplate('Hi {{name}},\nyour {{prize}} and {{prize}} again', vars({ name: 'name', type: 'string' }));
    assert.deepEqual(check.errors, [
      { code: 'TEMPLATE_VARIABLE_UNDECLARED', message: '{{prize}} uses a variable that is not declared; declare it or fix the name', variable: 'prize', offset: 18, line: 2, column: 6 },
    ]);
  });

  test('a declared variable the body never uses is a warning, not an error', () => {
    const check = checkTemplate('Hi {{name}}', vars({ name: 'name', type: 'string' }, { name: 'spare', type: 'number' }));
    assert.deepEqual(check.errors, []);
    assert.deepEqual(check.warnings.map((w) => [w.code, w.variable]), [['TEMPLATE_VARIABLE_UNUSED', 'spare']]);
    assert.deepEqual(check.placeholders, ['name']);
  });

  test('names must be names, not reserved, not repeated', () => {
    assert.deepEqual(codes('x', vars({ name: 'a b', type: 'string' })), ['a b:TEMPLATE_VARIABLE_NAME_INVALID']);
    assert.deepEqual(codes('x', vars({ name: '__proto__', type: 'string' })), ['__proto__:TEMPLATE_VARIABLE_NAME_INVALID']);
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'prototype']) {
      assert.deepEqual(codes(`{{${name}}}`, vars({ name, type: 'string' })), [`${name}:TEMPLATE_VARIABLE_NAME_RESERVED`]);
    }
    assert.deepEqual(codes('{{a}}', vars({ name: 'a', type: 'string' }, { name: 'a', type: 'number' })), ['a:TEMPLATE_VARIABLE_DUPLICATE']);
  });

  test('constraints must fit the type and each other', () => {
    const bad = (v: Partial<TemplateVariable> & Pick<TemplateVariable, 'type'>) => codes('{{v}}', vars({ name: 'v', ...v }));
    const constraint = ['v:TEMPLATE_VARIABLE_CONSTRAINT_INVALID'];
    assert.deepEqual(bad({ type: 'number', maxLength: 3 }), constraint);
    assert.deepEqual(bad({ type: 'string', min: 1 }), constraint);
    assert.deepEqual(bad({ type: 'string', minLength: 5, maxLength: 2 }), constraint);
    assert.deepEqual(bad({ type: 'number', min: 5, max: 2 }), constraint);
    assert.deepEqual(bad({ type: 'number', min: '2027-01-01' }), constraint);
    assert.deepEqual(bad({ type: 'date', min: '2027-02-30' }), constraint);
    assert.deepEqual(bad({ type: 'date', min: '2027-03-01', max: '2027-02-01' }), constraint);
    assert.deepEqual(bad({ type: 'enum' }), constraint);
    assert.deepEqual(bad({ type: 'enum', options: ['a', 'a'] }), constraint);
    assert.deepEqual(bad({ type: 'number', style: 'currency' }), constraint);
    assert.deepEqual(bad({ type: 'number', style: 'currency', currency: 'ZZZ' }), constraint);
    assert.deepEqual(bad({ type: 'number', currency: 'EUR' }), constraint);
    assert.deepEqual(bad({ type: 'boolean', dateStyle: 'long' }), constraint);
    assert.deepEqual(bad({ type: 'date', min: '2027-01-01', max: '2027-12-31', dateStyle: 'long' }), []);
  });

  test('a default must be a valid value of its variable', () => {
    assert.deepEqual(codes('{{v}}', vars({ name: 'v', type: 'number', max: 10, default: 11 })), ['v:TEMPLATE_VARIABLE_DEFAULT_INVALID']);
    assert.deepEqual(codes('{{v}}', vars({ name: 'v', type: 'enum', options: ['a'], default: 'b' })), ['v:TEMPLATE_VARIABLE_DEFAULT_INVALID']);
    assert.deepEqual(codes('{{v}}', vars({ name: 'v', type: 'url', default: 'https://example.com/x' })), []);
  });

  test('syntax errors and declaration errors come together, in body order first', () => {
    assert.deepEqual(codes('{{a}} {{b.c}}', vars({ name: 'z z', type: 'string' })), ['a:TEMPLATE_VARIABLE_UNDECLARED', ':TEMPLATE_PLACEHOLDER_INVALID', 'z z:TEMPLATE_VARIABLE_NAME_INVALID']);
  });

  test('saving refuses an invalid template with 422 TEMPLATE_INVALID and the full list', () => {
    const fields: TemplateFields = { name: 'T', description: '', contentType: 'social_post', platform: null, body: '{{a}} {{', variables: [] };
    try {
      newTemplate(fields);
      assert.fail('expected a problem');
    } catch (err) {
      assert.ok(isProblemError(err));
      assert.deepEqual([err.status, err.code], [422, 'TEMPLATE_INVALID']);
      assert.deepEqual((err.extensions.errors as { code: string }[]).map((e) => e.code), ['TEMPLATE_VARIABLE_UNDECLARED', 'TEMPLATE_PLACEHOLDER_UNCLOSED']);
      assert.match(err.detail ?? '', /line 1, column 1/);
    }
  });

  test('a change is checked as a whole: a new body against the old variables', () => {
    const { state } = newTemplate({ name: 'T', description: '', contentType: 'email', platform: null, body: 'Hi {{name}}', variables: vars({ name: 'name', type: 'string' }) });
    assert.throws(() => patchTemplate(state, { body: 'Hi {{first}}' }), (err: unknown) => isProblemError(err) && err.code === 'TEMPLATE_INVALID');
    assert.throws(() => patchTemplate(state, { variables: [] }), (err: unknown) => isProblemError(err) && err.code === 'TEMPLATE_INVALID');
    assert.equal(patchTemplate(state, { body: 'Hello {{name}}' }).state.body, 'Hello {{name}}');
  });
});
