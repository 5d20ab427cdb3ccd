import type { FastifyPluginAsync } from 'fastify';
import { listPosts, type PostFilter } from '../services/posts-listing.js';
import { getPost } from '../services/posts-store.js';
import type { NewPost, PostPatch } from '../services/posts.js';
import { caller, expectedVersion, listing, noContentReply, param, policy, services, tagged } from './context.js';
import { createBody, ifMatch, listQuery, patchBody, postOut, postPage, postParams } from './posts-schemas.js';
import { errors, noContent } from './schemas.js';

/** Posts: write them (every change a new version), read them, list them by status, platform, campaign, tag and dates. */
export const postRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/posts',
    {
      config: policy.postsRead,
      schema: {
        summary: 'List posts, newest first; filter by approval and delivery status, platform, campaign, hashtag, mention and dates',
        querystring: listQuery,
        response: { 200: postPage, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const { filter, page } = listing<PostFilter>(req);
      return listPosts(req.ctx.db, filter, page);
    },
  );

  app.post(
    '/posts',
    { config: policy.postsWrite, schema: { summary: 'Write a post (version 1, in draft)', body: createBody, response: { 201: postOut, ...errors(400, 401, 403, 409, 422) } } },
    async (req, reply) => {
      const created = await services(req).posts.create(caller(req), req.body as NewPost);
      reply.code(201).header('location', `/v1/content/posts/${created.id}`);
      return tagged(reply, created);
    },
  );

  app.get(
    '/posts/:postId',
    { config: policy.postsRead, schema: { summary: 'Read a post: its current version, statuses and variants; the ETag names the version', params: postParams, response: { 200: postOut, ...errors(400, 401, 403, 404) } } },
    async (req, reply) => tagged(reply, await getPost(req.ctx.db, param(req, 'postId'))),
  );

  app.patch(
    '/posts/:postId',
    {
      config: policy.postsWrite,
      schema: {
        summary: 'Change a post: a new version when the content changes, back to draft. If-Match pins the version you read',
        params: postParams,
        headers: ifMatch,
        body: patchBody,
        response: { 200: postOut, ...errors(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (req, reply) => tagged(reply, await services(req).posts.update(caller(req), param(req, 'postId'), req.body as PostPatch, expectedVersion(req))),
  );

  app.delete(
    '/posts/:postId',
    { config: policy.postsWrite, schema: { summary: 'Delete a post and its versions; not while it is scheduled', params: postParams, headers: ifMatch, response: { ...noContent, ...errors(400, 401, 403, 404, 409, 412) } } },
    async (req, reply) => {
      await services(req).posts.remove(caller(req), param(req, 'postId'), expectedVersion(req));
      return noContentReply(reply);
    },
  );
};
