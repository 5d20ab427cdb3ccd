import type { FastifyPluginAsync } from 'fastify';
import { timestamp, uuid } from '@markettina/sdk';
import { PERMISSIONS } from '../contracts.js';
import { held, noContentReply, services } from './context.js';
import { deviceOut, email, errors, itemsOf, listQuery, noContent, params, password, userOut, userPage } from './schemas.js';

const read = { permission: PERMISSIONS.usersRead };
const write = { permission: PERMISSIONS.usersWrite };
const displayName = { type: 'string', maxLength: 200 } as const;

/** The account's users, their trusted devices and sessions. */
export const userRoutes: FastifyPluginAsync = async (app) => {
  app.get('/users', { config: read, schema: { summary: 'List users, newest first', querystring: listQuery, response: { 200: userPage, ...errors(400, 401, 403) } } }, async (req) =>
    services(req).users.list(req.ctx.db, req.query as { limit: number; cursor?: string }),
  );

  app.post(
    '/users',
    {
      config: write,
      schema: {
        summary: 'Add a user with a role (you can only give a role whose permissions you hold); publishes identity.UserRegistered',
        body: {
          type: 'object',
          properties: { email, displayName, password, roleId: uuid },
          required: ['email', 'roleId'],
          additionalProperties: false,
        },
        response: { 201: userOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const user = await services(req).users.create(req.ctx.db, req.ctx.tenant.accountId, req.body as { email: string; roleId: string }, held(req));
      reply.code(201).header('location', `/v1/identity/users/${user.id}`);
      return user;
    },
  );

  app.get('/users/:userId', { config: read, schema: { summary: 'Read a user', params: params('userId'), response: { 200: userOut, ...errors(400, 401, 403, 404) } } }, async (req) =>
    services(req).users.get(req.ctx.db, (req.params as { userId: string }).userId),
  );

  app.patch(
    '/users/:userId',
    {
      config: write,
      schema: {
        summary: 'Change a user: name, status, role (publishes identity.UserRoleChanged), password; disabling or a new password ends the user’s sessions',
        params: params('userId'),
        body: {
          type: 'object',
          properties: { displayName, status: { enum: ['active', 'disabled'] }, roleId: uuid, password },
          additionalProperties: false,
          minProperties: 1,
        },
        response: { 200: userOut, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req) => services(req).users.update(req.ctx.db, (req.params as { userId: string }).userId, req.body as object, held(req)),
  );

  app.delete(
    '/users/:userId/sessions',
    { config: write, schema: { summary: 'End every session of a user (their refresh tokens stop working)', params: params('userId'), response: { ...noContent, ...errors(400, 401, 403, 404) } } },
    async (req, reply) => {
      const { userId } = req.params as { userId: string };
      const s = services(req);
      await s.users.get(req.ctx.db, userId);
      await s.sessions.revokeUserSessions(req.ctx.db, userId, 'revoked_by_admin');
      return noContentReply(reply);
    },
  );

  app.post(
    '/users/:userId/email-verification',
    {
      config: write,
      schema: {
        summary: 'A one-time token that verifies the user’s email when presented to POST /email-verifications (send it by email)',
        params: params('userId'),
        response: { 201: { type: 'object', properties: { token: { type: 'string' }, expiresAt: timestamp }, required: ['token', 'expiresAt'] }, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return services(req).verification.issue(req.ctx.db, req.ctx.tenant.accountId, (req.params as { userId: string }).userId);
    },
  );

  app.get(
    '/users/:userId/devices',
    { config: read, schema: { summary: 'The user’s trusted devices', params: params('userId'), response: { 200: itemsOf(deviceOut), ...errors(400, 401, 403, 404) } } },
    async (req) => {
      const { userId } = req.params as { userId: string };
      await services(req).users.get(req.ctx.db, userId);
      return { items: await services(req).devices.list(req.ctx.db, userId) };
    },
  );

  app.delete(
    '/users/:userId/devices/:deviceId',
    { config: write, schema: { summary: 'Stop trusting a device', params: params('userId', 'deviceId'), response: { ...noContent, ...errors(400, 401, 403, 404) } } },
    async (req, reply) => {
      const { userId, deviceId } = req.params as { userId: string; deviceId: string };
      await services(req).devices.revoke(req.ctx.db, userId, deviceId);
      return noContentReply(reply);
    },
  );
};
