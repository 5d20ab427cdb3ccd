import type { FastifyPluginAsync } from 'fastify';
import { PERMISSIONS } from '../contracts.js';
import { held, noContentReply, services } from './context.js';
import { errors, itemsOf, name, noContent, params, permissionList, roleOut } from './schemas.js';

const read = { permission: PERMISSIONS.rolesRead };
const write = { permission: PERMISSIONS.rolesWrite };
const description = { type: 'string', maxLength: 500 } as const;
const permissionOut = {
  type: 'object',
  properties: { id: { type: 'string' }, description: { type: 'string' } },
  required: ['id', 'description'],
};

/** Built-in and custom roles, and the permissions a custom role can be made of. */
export const roleRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/permissions',
    { config: read, schema: { summary: 'Permissions declared by the installed plugins (what custom roles are made of)', response: { 200: itemsOf(permissionOut), ...errors(401, 403) } } },
    async (req) => ({ items: services(req).catalog.tenantPermissions().map((p) => ({ id: p.id, description: p.description ?? '' })) }),
  );

  app.get('/roles', { config: read, schema: { summary: 'Built-in and custom roles with what they grant', response: { 200: itemsOf(roleOut), ...errors(401, 403) } } }, async (req) => ({
    items: await services(req).roles.list(req.ctx.db),
  }));

  app.get('/roles/:roleId', { config: read, schema: { summary: 'Read a role', params: params('roleId'), response: { 200: roleOut, ...errors(400, 401, 403, 404) } } }, async (req) => {
    const s = services(req);
    return s.roles.view(await s.roles.row(req.ctx.db, (req.params as { roleId: string }).roleId));
  });

  app.post(
    '/roles',
    {
      config: write,
      schema: {
        summary: 'Create a custom role from declared permissions (only ones you hold)',
        body: {
          type: 'object',
          properties: { key: { type: 'string', minLength: 2, maxLength: 50 }, name, description, permissions: permissionList },
          required: ['key', 'name', 'permissions'],
          additionalProperties: false,
        },
        response: { 201: roleOut, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const role = await services(req).roles.create(req.ctx.db, req.ctx.tenant.accountId, req.body as { key: string; name: string; permissions: string[] }, held(req));
      reply.code(201).header('location', `/v1/identity/roles/${role.id}`);
      return role;
    },
  );

  app.patch(
    '/roles/:roleId',
    {
      config: write,
      schema: {
        summary: 'Change a custom role',
        params: params('roleId'),
        body: { type: 'object', properties: { name, description, permissions: permissionList }, additionalProperties: false, minProperties: 1 },
        response: { 200: roleOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => services(req).roles.update(req.ctx.db, (req.params as { roleId: string }).roleId, req.body as object, held(req)),
  );

  app.delete(
    '/roles/:roleId',
    { config: write, schema: { summary: 'Delete a custom role no user has', params: params('roleId'), response: { ...noContent, ...errors(400, 401, 403, 404, 409) } } },
    async (req, reply) => {
      await services(req).roles.remove(req.ctx.db, (req.params as { roleId: string }).roleId, held(req));
      return noContentReply(reply);
    },
  );
};
