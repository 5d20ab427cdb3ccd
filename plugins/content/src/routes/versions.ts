import type { FastifyPluginAsync } from 'fastify';
import { pageQuery } from '@markettina/sdk';
import type { DiffGranularity } from '../domain/versions-diff.js';
import { diffPostVersions, getVersion, listVersions } from '../services/versions.js';
import { caller, expectedVersion, listing, param, policy, services, tagged } from './context.js';
import { diffOut, diffQuery, ifMatch, postOut, postParams, versionOut, versionPage, versionParams } from './posts-schemas.js';
import { errors } from './schemas.js';

const versionOf = (req: { params: unknown }) => (req.params as { version: number }).version;

/** A post's history: every version, what changed between two, and going back to one. */
export const versionRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/posts/:postId/versions',
    {
      config: policy.postsRead,
      schema: {
        summary: 'List the versions of a post, newest first',
        params: postParams,
        querystring: { type: 'object', properties: pageQuery, additionalProperties: false },
        response: { 200: versionPage, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => listVersions(req.ctx.db, param(req, 'postId'), listing(req).page),
  );

  app.get(
    '/posts/:postId/versions/:version',
    { config: policy.postsRead, schema: { summary: 'Read one version of a post', params: versionParams, response: { 200: versionOut, ...errors(400, 401, 403, 404) } } },
    async (req) => getVersion(req.ctx.db, param(req, 'postId'), versionOf(req)),
  );

  app.get(
    '/posts/:postId/diff',
    {
      config: policy.postsRead,
      schema: {
        summary: 'What changed from one version to another: a word or line diff of each text, before and after of other fields',
        params: postParams,
        querystring: diffQuery,
        response: { 200: diffOut, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { from, to, granularity } = req.query as { from: number; to: number; granularity: DiffGranularity };
      return diffPostVersions(req.ctx.db, param(req, 'postId'), from, to, granularity);
    },
  );

  app.post(
    '/posts/:postId/versions/:version/restore',
    {
      config: policy.postsWrite,
      schema: {
        summary: 'Make a new version with the content of an old one (the post goes back to draft)',
        params: versionParams,
        headers: ifMatch,
        response: { 200: postOut, ...errors(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (req, reply) => tagged(reply, await services(req).posts.restore(caller(req), param(req, 'postId'), versionOf(req), expectedVersion(req))),
  );
};
