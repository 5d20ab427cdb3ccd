import type { FastifyPluginAsync } from 'fastify';
import { uuid } from '@markettina/sdk';
import { draftSchema, type RestDraft } from '../domain/drafts.js';
import { socialRuntimeRef } from '../runtime.js';
import { checkPost, deletePost, postMetrics, publishPost } from '../services/posts.js';
import { postView } from '../store/posts.js';
import { idParams, post } from './schemas.js';

export const postRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/posts',
    {
      config: { permission: 'social.posts:write', idempotency: 'optional' },
      schema: {
        summary: 'Publishes a draft to one connected account now',
        body: { type: 'object', properties: { socialAccountId: uuid, draft: draftSchema }, required: ['socialAccountId', 'draft'], additionalProperties: false },
        response: { 201: post },
      },
    },
    async (req, reply) => {
      const row = await publishPost(req.ctx.get(socialRuntimeRef), req.ctx, req.body as { socialAccountId: string; draft: RestDraft });
      reply.code(201);
      return postView(row);
    },
  );

  app.get('/posts/:id', { config: { permission: 'social.posts:read' }, schema: { summary: 'A post, checked with its platform', params: idParams, response: { 200: post } } }, async (req) =>
    postView(await checkPost(req.ctx.get(socialRuntimeRef), req.ctx, (req.params as { id: string }).id)),
  );

  app.delete('/posts/:id', { config: { permission: 'social.posts:write' }, schema: { summary: 'Deletes a published post from its platform', params: idParams, response: { 200: post } } }, async (req) =>
    postView(await deletePost(req.ctx.get(socialRuntimeRef), req.ctx, (req.params as { id: string }).id)),
  );

  app.get('/posts/:id/metrics', { config: { permission: 'social.posts:read' }, schema: { summary: 'Reads a published post metrics from its platform now', params: idParams, response: { 200: post } } }, async (req) =>
    postView(await postMetrics(req.ctx.get(socialRuntimeRef), req.ctx, (req.params as { id: string }).id)),
  );
};
