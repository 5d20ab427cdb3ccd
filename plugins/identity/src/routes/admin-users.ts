import type { FastifyPluginAsync } from 'fastify';
import { PERMISSIONS } from '../contracts.js';
import { adminOut } from './admin-sessions.js';
import { audited } from './audited.js';
import { services } from './context.js';
import { email, errors, itemsOf, params, password } from './schemas.js';

const config = { permission: PERMISSIONS.platformAdmin };

/** Platform administrators manage each other. */
export const adminUserRoutes: FastifyPluginAsync = async (app) => {
  app.get('/admin/admins', { config, schema: { summary: 'List platform administrators', response: { 200: itemsOf(adminOut), ...errors(401, 403) } } }, async (req) =>
    audited(req, { action: 'admins.list' }, async () => ({ items: await services(req).admins.list(req.ctx.db) })),
  );

  app.post(
    '/admin/admins',
    {
      config,
      schema: {
        summary: 'Add a platform administrator; the TOTP secret for the authenticator app is in this response only',
        body: { type: 'object', properties: { email, password, displayName: { type: 'string', maxLength: 200 } }, required: ['email', 'password'], additionalProperties: false },
        response: {
          201: {
            type: 'object',
            properties: { admin: adminOut, totp: { type: 'object', properties: { secret: { type: 'string' }, uri: { type: 'string' } }, required: ['secret', 'uri'] } },
            required: ['admin', 'totp'],
          },
          ...errors(400, 401, 403, 409, 422),
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { email: string; password: string; displayName?: string };
      const created = await audited(req, { action: 'admins.create', details: { email: body.email } }, () => services(req).admins.create(req.ctx.db, body));
      reply.code(201).header('cache-control', 'no-store');
      return created;
    },
  );

  app.patch(
    '/admin/admins/:adminId',
    {
      config,
      schema: {
        summary: 'Enable or disable an administrator (disabling ends their sessions)',
        params: params('adminId'),
        body: { type: 'object', properties: { status: { enum: ['active', 'disabled'] } }, required: ['status'], additionalProperties: false },
        response: { 200: adminOut, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const { adminId } = req.params as { adminId: string };
      const { status } = req.body as { status: 'active' | 'disabled' };
      return audited(req, { action: 'admins.set-status', target: `admins/${adminId}`, details: { status } }, () => services(req).admins.setStatus(req.ctx.db, adminId, status));
    },
  );
};
