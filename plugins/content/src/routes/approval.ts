import type { FastifyPluginAsync } from 'fastify';
import { caller, expectedVersion, param, policy, services, tagged } from './context.js';
import { ifMatch, postOut, postParams, rejectBody } from './posts-schemas.js';
import { errors } from './schemas.js';

const answers = { 200: postOut, ...errors(400, 401, 403, 404, 409, 412) };

/** Review: draft → review → approved | rejected; a rejected post is reworked and submitted again. */
export const approvalRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/posts/:postId/submit',
    { config: policy.postsWrite, schema: { summary: 'Submit a draft (or rejected) post for review', params: postParams, headers: ifMatch, response: answers } },
    async (req, reply) => tagged(reply, await services(req).approval.submit(caller(req), param(req, 'postId'), expectedVersion(req))),
  );

  app.post(
    '/posts/:postId/approve',
    { config: policy.postsReview, schema: { summary: 'Approve a post in review (not one you wrote or submitted, unless the tenant allows it); If-Match pins the version you read', params: postParams, headers: ifMatch, response: answers } },
    async (req, reply) => tagged(reply, await services(req).approval.approve(caller(req), param(req, 'postId'), expectedVersion(req))),
  );

  app.post(
    '/posts/:postId/reject',
    { config: policy.postsReview, schema: { summary: 'Reject a post in review, saying why', params: postParams, headers: ifMatch, body: rejectBody, response: answers } },
    async (req, reply) => tagged(reply, await services(req).approval.reject(caller(req), param(req, 'postId'), (req.body as { reason: string }).reason, expectedVersion(req))),
  );
};
