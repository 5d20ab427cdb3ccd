import type { FastifyPluginAsync } from 'fastify';
import { timestamp, uuid } from '@markettina/sdk';
import { PERMISSIONS } from '../contracts.js';
import { parseCredential } from '../domain/credentials.js';
import { audited } from './audited.js';
import { noContentReply, services } from './context.js';
import { email, errors, noContent, password } from './schemas.js';

const adminOut = {
  type: 'object',
  properties: { id: uuid, email: { type: 'string' }, displayName: { type: 'string' }, status: { enum: ['active', 'disabled'] }, createdAt: timestamp },
  required: ['id', 'email', 'displayName', 'status', 'createdAt'],
};
export { adminOut };

/** Platform administrators log in with a password and a TOTP code; each login is a session. */
export const adminSessionRoutes: FastifyPluginAsync = async (app) => {
  app.post(
    '/admin/sessions',
    {
      config: { auth: 'none' },
      schema: {
        summary: 'Platform administrator login: password and the current code of the authenticator app (±30 s accepted, each code once)',
        body: {
          type: 'object',
          properties: { email, password, code: { type: 'string', pattern: '^[0-9]{6}$', minLength: 6, maxLength: 6 } },
          required: ['email', 'password', 'code'],
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { tokenType: { const: 'Bearer' }, token: { type: 'string' }, expiresAt: timestamp, admin: adminOut }, required: ['tokenType', 'token', 'expiresAt', 'admin'] },
          ...errors(400, 401, 429),
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const session = await services(req).admins.login(req.body as { email: string; password: string; code: string }, Date.now(), req.id);
      return { tokenType: 'Bearer', ...session };
    },
  );

  app.delete(
    '/admin/sessions/current',
    { config: { permission: PERMISSIONS.platformAdmin }, schema: { summary: 'Log out of this administrator session', response: { ...noContent, ...errors(401, 403) } } },
    async (req, reply) => {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const credential = parseCredential(token, ['admin_session']);
      await audited(req, { action: 'admin.logout', target: credential ? `admin-sessions/${credential.id}` : null }, async () => {
        if (credential) await services(req).admins.logout(req.ctx.db, credential);
      });
      return noContentReply(reply);
    },
  );
};
