import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { ProblemError } from '@markettina/sdk';
import { sendProblem } from '../src/http/problem.js';

test('an extension named like a standard member cannot override it', async () => {
  const app = Fastify();
  app.get('/conflict', async (req, reply) =>
    sendProblem(req, reply, new ProblemError({ status: 409, code: 'PUBLICATION_NOT_SCHEDULED', title: 'Conflict', extensions: { status: 'published', type: 'x', code: 'OTHER', seen: 1 } })),
  );
  const res = await app.inject({ method: 'GET', url: '/conflict' });
  await app.close();
  assert.equal(res.statusCode, 409);
  const body = res.json();
  assert.equal(body.status, 409);
  assert.equal(body.type, 'urn:markettina:problem:publication-not-scheduled');
  assert.equal(body.code, 'PUBLICATION_NOT_SCHEDULED');
  assert.equal(body.seen, 1, 'other extensions still reach the client');
});
