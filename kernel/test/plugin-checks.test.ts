import assert from 'node:assert/strict';
import { test } from 'node:test';
import { badInputCases, pluginChecks } from '@markettina/sdk/testing';
import { notesPlugin } from './fixtures/notes/plugin.js';

pluginChecks({ plugins: [notesPlugin] });

test('bad-input cases cover params, query, malformed JSON, content type, missing and oversized fields', () => {
  const names = badInputCases({
    pluginId: 'notes',
    method: 'PATCH',
    url: '/v1/notes/notes/:id',
    config: {},
    schema: {
      params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
      querystring: { type: 'object', properties: { limit: { type: 'integer' } } },
      body: { type: 'object', properties: { title: { type: 'string', maxLength: 5 } }, required: ['title'] },
    },
  }).map((c) => c.name);
  for (const expected of ['param id: not a uuid', 'query limit: string for number', 'malformed JSON', 'unknown content type', 'missing title', 'body title: oversized string', 'body title: object for string']) {
    assert.ok(names.includes(expected), `missing case "${expected}" in ${names.join(', ')}`);
  }
});
