import type { FastifyPluginAsync } from 'fastify';
import { PERMISSIONS, type PieceStatus } from '../contracts.js';
import type { PieceFields, PieceInput } from '../domain/pieces.js';
import { REVIEWER_DECISIONS } from '../domain/pieces-status.js';
import type { RepurposeTarget } from '../domain/repurpose.js';
import type { PieceFilter } from '../services/pieces.js';
import { caller, listing, noContentReply, param, policy, requirePermission, services } from './context.js';
import { chainOut, chainQuery, createPieceBody, patchPieceBody, pieceListQuery, pieceOut, piecePage, pieceParams, repurposeBody, repurposeOut, transitionBody } from './pieces-schemas.js';
import { errors, noContent } from './schemas.js';

/** Content pieces: written, scored on every change, repurposed into chains, reviewed. */
export const pieceRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/pieces',
    {
      config: policy.piecesRead,
      schema: { summary: 'List content pieces, newest first; filter by type, status, platform, campaign and creation time', querystring: pieceListQuery, response: { 200: piecePage, ...errors(400, 401, 403) } },
    },
    async (req) => {
      const { filter, page } = listing<PieceFilter>(req);
      return services(req).pieces.list(req.ctx.db, filter, page);
    },
  );

  app.get('/pieces/:pieceId', { config: policy.piecesRead, schema: { summary: 'Read a content piece with its scores', params: pieceParams, response: { 200: pieceOut, ...errors(400, 401, 403, 404) } } }, async (req) =>
    services(req).pieces.get(req.ctx.db, param(req, 'pieceId')),
  );

  app.post(
    '/pieces',
    { config: policy.piecesWrite, schema: { summary: 'Write a content piece (a draft); its scores are computed from the text', body: createPieceBody, response: { 201: pieceOut, ...errors(400, 401, 403, 409, 422) } } },
    async (req, reply) => {
      const created = await services(req).pieces.create(caller(req), req.body as PieceInput & Pick<PieceFields, 'type' | 'title'>);
      reply.code(201).header('location', `/v1/content/pieces/${created.id}`);
      return created;
    },
  );

  app.patch(
    '/pieces/:pieceId',
    {
      config: policy.piecesWrite,
      schema: { summary: 'Change a draft piece (or move it in its chain); scores are computed again', params: pieceParams, body: patchPieceBody, response: { 200: pieceOut, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (req) => services(req).pieces.update(caller(req), param(req, 'pieceId'), req.body as PieceInput & { parentId?: string | null }),
  );

  app.delete(
    '/pieces/:pieceId',
    { config: policy.piecesWrite, schema: { summary: 'Delete a piece that has no repurposed children', params: pieceParams, response: { ...noContent, ...errors(400, 401, 403, 404, 409) } } },
    async (req, reply) => {
      await services(req).pieces.remove(caller(req), param(req, 'pieceId'));
      return noContentReply(reply);
    },
  );

  app.post(
    '/pieces/:pieceId/transitions',
    {
      config: policy.piecesWrite,
      schema: {
        summary: 'Move a piece through its review: draft → review → approved | rejected, a rejected piece back to review, and back to draft to revise',
        params: pieceParams,
        body: transitionBody,
        response: { 200: pieceOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => {
      const { to, notes } = req.body as { to: PieceStatus; notes?: string };
      // Authors write; approving or rejecting is a reviewer's decision, kept apart.
      if (REVIEWER_DECISIONS.includes(to)) requirePermission(req, PERMISSIONS.postsApprove);
      return services(req).pieces.transition(caller(req), param(req, 'pieceId'), to, notes);
    },
  );

  app.post(
    '/pieces/:pieceId/repurpose',
    {
      config: policy.piecesWrite,
      schema: {
        summary: 'Adapt a piece into children for other types and platforms (thread, social post, email, script, ...), under it in its chain',
        params: pieceParams,
        body: repurposeBody,
        response: { 201: repurposeOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { targets } = req.body as { targets: RepurposeTarget[] };
      const items = await services(req).pieces.repurpose(caller(req), param(req, 'pieceId'), targets);
      reply.code(201);
      return { parentId: param(req, 'pieceId'), items };
    },
  );

  app.get(
    '/pieces/:pieceId/chain',
    {
      config: policy.piecesRead,
      schema: { summary: 'The repurposing chain around a piece: its ancestors and its descendants, depth levels deep', params: pieceParams, querystring: chainQuery, response: { 200: chainOut, ...errors(400, 401, 403, 404) } },
    },
    async (req) => services(req).pieces.chain(req.ctx.db, param(req, 'pieceId'), (req.query as { depth: number }).depth),
  );
};
