import type { FastifyPluginAsync } from 'fastify';
import { PERMISSIONS, type PieceStatus } from '../contracts.js';
import type { PieceFields, PieceInput } from '../domain/pieces.js';
import { REVIEWER_DECISIONS } from '../domain/pieces-status.js';
import type { RepurposeTarget } from '../domain/repurpose.js';
import type { PieceFilter } from '../services/pieces.js';
import { requirePermission, services, writeContext } from './pieces-context.js';
import { noContentReply } from './posts-context.js';
import { errors, noContent } from './posts-schemas.js';
import { chainOut, chainQuery, createPieceBody, patchPieceBody, pieceListQuery, pieceOut, piecePage, pieceParams, repurposeBody, repurposeOut, transitionBody } from './pieces-schemas.js';

const read = { permission: PERMISSIONS.piecesRead, rateLimit: 'read' };
const write = { permission: PERMISSIONS.piecesWrite, rateLimit: 'write', idempotency: 'optional' } as const;
const pieceId = (req: { params: unknown }) => (req.params as { pieceId: string }).pieceId;

/** Content pieces: written, scored on every change, repurposed into chains, reviewed. */
export const pieceRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/pieces',
    {
      config: read,
      schema: { summary: 'List content pieces, newest first; filter by type, status, platform, campaign and creation time', querystring: pieceListQuery, response: { 200: piecePage, ...errors(400, 401, 403) } },
    },
    async (req) => {
      const { limit, cursor, ...filter } = req.query as { limit: number; cursor?: string } & PieceFilter;
      return services(req).pieces.list(req.ctx.db, filter, { limit, ...(cursor ? { cursor } : {}) });
    },
  );

  app.get('/pieces/:pieceId', { config: read, schema: { summary: 'Read a content piece with its scores', params: pieceParams, response: { 200: pieceOut, ...errors(400, 401, 403, 404) } } }, async (req) =>
    services(req).pieces.get(req.ctx.db, pieceId(req)),
  );

  app.post(
    '/pieces',
    { config: write, schema: { summary: 'Write a content piece (a draft); its scores are computed from the text', body: createPieceBody, response: { 201: pieceOut, ...errors(400, 401, 403, 409, 422) } } },
    async (req, reply) => {
      const created = await services(req).pieces.create(req.ctx.db, writeContext(req), req.body as PieceInput & Pick<PieceFields, 'type' | 'title'>);
      reply.code(201).header('location', `/v1/content/pieces/${created.id}`);
      return created;
    },
  );

  app.patch(
    '/pieces/:pieceId',
    {
      config: write,
      schema: { summary: 'Change a draft piece (or move it in its chain); scores are computed again', params: pieceParams, body: patchPieceBody, response: { 200: pieceOut, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (req) => services(req).pieces.update(req.ctx.db, writeContext(req), pieceId(req), req.body as PieceInput & { parentId?: string | null }),
  );

  app.delete(
    '/pieces/:pieceId',
    { config: write, schema: { summary: 'Delete a piece that has no repurposed children', params: pieceParams, response: { ...noContent, ...errors(400, 401, 403, 404, 409) } } },
    async (req, reply) => {
      await services(req).pieces.remove(req.ctx.db, pieceId(req));
      return noContentReply(reply);
    },
  );

  app.post(
    '/pieces/:pieceId/transitions',
    {
      config: write,
      schema: {
        summary: 'Move a piece through its review: draft → review → approved | rejected, and back to draft',
        params: pieceParams,
        body: transitionBody,
        response: { 200: pieceOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => {
      const { to, notes } = req.body as { to: PieceStatus; notes?: string };
      // Authors write; approving or rejecting is a reviewer's decision, kept apart.
      if (REVIEWER_DECISIONS.includes(to)) requirePermission(req, PERMISSIONS.postsApprove);
      return services(req).pieces.transition(req.ctx.db, pieceId(req), to, req.ctx.principal?.id ?? 'unknown', notes);
    },
  );

  app.post(
    '/pieces/:pieceId/repurpose',
    {
      config: write,
      schema: {
        summary: 'Adapt a piece into children for other types and platforms (thread, social post, email, script, ...), under it in its chain',
        params: pieceParams,
        body: repurposeBody,
        response: { 201: repurposeOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { targets } = req.body as { targets: RepurposeTarget[] };
      const items = await services(req).pieces.repurpose(req.ctx.db, writeContext(req), pieceId(req), targets);
      reply.code(201);
      return { parentId: pieceId(req), items };
    },
  );

  app.get(
    '/pieces/:pieceId/chain',
    {
      config: read,
      schema: { summary: 'The repurposing chain around a piece: its ancestors and its descendants, depth levels deep', params: pieceParams, querystring: chainQuery, response: { 200: chainOut, ...errors(400, 401, 403, 404) } },
    },
    async (req) => services(req).pieces.chain(req.ctx.db, pieceId(req), (req.query as { depth: number }).depth),
  );
};
