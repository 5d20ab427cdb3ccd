import type { FastifyPluginAsync } from 'fastify';
import type { VariantOverride } from '../domain/posts.js';
import { effectiveContent } from '../domain/variants.js';
import { getPost } from '../services/posts-store.js';
import { contentOf } from '../services/versions.js';
import { caller, expectedVersion, param, policy, services, tagged } from './context.js';
import { ifMatch, postOut, variantBody, variantOut, variantParams } from './posts-schemas.js';
import { errors } from './schemas.js';

/** Per-platform variants: what one platform gets instead of the base, and the draft it results in. */
export const variantRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/posts/:postId/variants/:platform',
    {
      config: policy.postsRead,
      schema: {
        summary: "A platform's override (null when it has none) and the effective draft that platform is sent",
        params: variantParams,
        response: { 200: variantOut, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const post = await getPost(req.ctx.db, param(req, 'postId'));
      const platform = param(req, 'platform');
      return { platform, override: Object.hasOwn(post.variants, platform) ? post.variants[platform] : null, effective: effectiveContent(contentOf(post), platform) };
    },
  );

  app.put(
    '/posts/:postId/variants/:platform',
    {
      config: policy.postsWrite,
      schema: {
        summary: "Set a platform's override (a new version of the post)",
        params: variantParams,
        headers: ifMatch,
        body: variantBody,
        response: { 200: postOut, ...errors(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (req, reply) =>
      tagged(reply, await services(req).posts.setVariant(caller(req), param(req, 'postId'), param(req, 'platform'), req.body as VariantOverride, expectedVersion(req))),
  );

  app.delete(
    '/posts/:postId/variants/:platform',
    {
      config: policy.postsWrite,
      schema: { summary: "Remove a platform's override (a new version of the post)", params: variantParams, headers: ifMatch, response: { 200: postOut, ...errors(400, 401, 403, 404, 409, 412, 422) } },
    },
    async (req, reply) => tagged(reply, await services(req).posts.removeVariant(caller(req), param(req, 'postId'), param(req, 'platform'), expectedVersion(req))),
  );
};
