import { pageOf, pageQuery, timestamp, uuid, type JsonSchema } from '@markettina/sdk';
import { PIECE_TYPES } from '../contracts.js';
import { DATE_STYLES, NUMBER_STYLES, VARIABLE_TYPES } from '../domain/templates-variables.js';
import { nullable, params, platform } from './schemas.js';

const contentType = { enum: PIECE_TYPES, description: 'The kind of content the template produces' } as const;
const bound = { type: ['number', 'string'], maxLength: 10, description: 'A number for number variables, a day (YYYY-MM-DD) for date variables' } as const;

/** One declared variable. Which options apply depends on `type`; the template check reports misplaced ones. */
export const variable: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64, description: 'Letters, digits and underscores, starting with a letter' },
    type: { enum: VARIABLE_TYPES },
    label: { type: 'string', maxLength: 200 },
    required: { type: 'boolean', description: 'Rendering without a value (and without a default) is a 422' },
    default: { type: ['string', 'number', 'boolean'], maxLength: 10000 },
    minLength: { type: 'integer', minimum: 0, maximum: 100000, description: 'string and url' },
    maxLength: { type: 'integer', minimum: 0, maximum: 100000, description: 'string and url' },
    min: bound,
    max: bound,
    integer: { type: 'boolean', description: 'number: whole numbers only' },
    options: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 200 }, description: 'enum: the allowed values' },
    style: { enum: NUMBER_STYLES, description: 'number formatting' },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, with style currency' },
    maximumFractionDigits: { type: 'integer', minimum: 0, maximum: 10 },
    dateStyle: { enum: DATE_STYLES, description: 'date formatting' },
    trueText: { type: 'string', maxLength: 100, description: 'boolean: text for true (default "yes")' },
    falseText: { type: 'string', maxLength: 100, description: 'boolean: text for false (default "no")' },
  },
  required: ['name', 'type'],
  additionalProperties: false,
};

/** A problem found in a template or its values, with where it is. */
export const issue: JsonSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    variable: { type: 'string' },
    offset: { type: 'integer' },
    line: { type: 'integer' },
    column: { type: 'integer' },
  },
  required: ['code', 'message'],
};

const fields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  description: { type: 'string', maxLength: 2000 },
  contentType,
  platform: nullable(platform),
  body: { type: 'string', minLength: 1, maxLength: 20000, description: 'Text with {{name}} placeholders; \\{{ writes a literal {{' },
  variables: { type: 'array', maxItems: 100, items: variable },
} as const;

export const createTemplateBody: JsonSchema = { type: 'object', properties: fields, required: ['name', 'contentType', 'body'], additionalProperties: false };

export const patchTemplateBody: JsonSchema = { type: 'object', properties: fields, additionalProperties: false, minProperties: 1 };

export const templateListQuery: JsonSchema = {
  type: 'object',
  properties: { ...pageQuery, contentType, platform },
  additionalProperties: false,
};

export const templateOut: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    ...fields,
    placeholders: { type: 'array', items: { type: 'string' } },
    warnings: { type: 'array', items: issue },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'name', 'description', 'contentType', 'platform', 'body', 'variables', 'placeholders', 'warnings', 'createdAt', 'updatedAt'],
};
export const templatePage = pageOf(templateOut);

export const MAX_RENDER_LENGTH = 100000;

export const renderBody: JsonSchema = {
  type: 'object',
  properties: {
    values: {
      type: 'object',
      maxProperties: 100,
      additionalProperties: { type: ['string', 'number', 'boolean', 'null'], maxLength: 10000 },
      default: {},
      description: 'Variable name → value; null or absent means the default',
    },
    locale: { type: 'string', minLength: 1, maxLength: 64, default: 'en', description: 'BCP 47 tag numbers and dates are formatted for' },
    maxLength: { type: 'integer', minimum: 1, maximum: MAX_RENDER_LENGTH, default: 20000, description: 'Longest text, in characters; longer is a 422' },
  },
  additionalProperties: false,
};

export const renderOut: JsonSchema = {
  type: 'object',
  properties: { text: { type: 'string' }, length: { type: 'integer', description: 'In characters' }, locale: { type: 'string' } },
  required: ['text', 'length', 'locale'],
};

export const templateParams = params('templateId');
