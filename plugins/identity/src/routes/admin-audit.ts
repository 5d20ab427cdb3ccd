import type { FastifyPluginAsync } from 'fastify';
import { pageOf, pageQuery, timestamp, uuid } from '@markettina/sdk';
import { PERMISSIONS } from '../contracts.js';
import { services } from './context.js';
import { errors } from './schemas.js';

const entryOut = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    at: timestamp,
    adminId: { type: ['string', 'null'] },
    action: { type: 'string' },
    outcome: { enum: ['success', 'failure'] },
    targetAccount: { type: ['string', 'null'] },
    target: { type: ['string', 'null'] },
    details: { type: 'object', additionalProperties: true },
    requestId: { type: ['string', 'null'] },
  },
  required: ['id', 'at', 'adminId', 'action', 'outcome', 'targetAccount', 'target', 'details', 'requestId'],
};

/** The admin audit log, newest first. Reading it is not itself logged: the log would then only ever grow by being read. */
export const adminAuditRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/admin/audit',
    {
      config: { permission: PERMISSIONS.platformAdmin },
      schema: {
        summary: 'The append-only log of administrators’ actions',
        querystring: { type: 'object', properties: { ...pageQuery, targetAccount: uuid }, additionalProperties: false },
        response: { 200: pageOf(entryOut), ...errors(400, 401, 403) },
      },
    },
    async (req) => services(req).audit.list(req.ctx.db, req.query as { limit: number; cursor?: string; targetAccount?: string }),
  );
};
