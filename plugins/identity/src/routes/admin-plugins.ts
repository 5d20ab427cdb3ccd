import type { FastifyPluginAsync } from 'fastify';
import { uuid } from '@markettina/sdk';
import { PERMISSIONS } from '../contracts.js';
import { audited } from './audited.js';
import { services } from './context.js';
import { errors, itemsOf, params, pluginStateOut } from './schemas.js';

const config = { permission: PERMISSIONS.platformAdmin };
const anyObject = { type: 'object', additionalProperties: true } as const;

const installedOut = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    version: { type: 'string' },
    description: { type: ['string', 'null'] },
    enabledByDefault: { type: 'boolean' },
    permissions: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, description: { type: 'string' }, platform: { type: 'boolean' } }, required: ['id', 'description'] },
    },
    schemas: {
      type: 'object',
      properties: { tenantSettings: anyObject, tenantSecrets: anyObject },
      description: 'JSON Schemas of what enabling the plugin for a tenant accepts',
    },
  },
  required: ['id', 'version', 'description', 'enabledByDefault', 'permissions', 'schemas'],
};

const pluginParams = {
  type: 'object',
  properties: { accountId: uuid, pluginId: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 64 } },
  required: ['accountId', 'pluginId'],
  additionalProperties: false,
};

/** Plugin administration for platform teams: what is installed, and what each tenant enabled. */
export const adminPluginRoutes: FastifyPluginAsync = async (app) => {
  app.get('/admin/plugins', { config, schema: { summary: 'Installed plugins with versions, permissions and tenant config schemas', response: { 200: itemsOf(installedOut), ...errors(401, 403) } } }, async (req) =>
    audited(req, { action: 'plugins.list' }, async () => ({ items: services(req).plugins.installed() })),
  );

  app.get(
    '/admin/accounts/:accountId/plugins',
    { config, schema: { summary: 'An account’s plugins: enabled, settings, whether secrets are set', params: params('accountId'), response: { 200: itemsOf(pluginStateOut), ...errors(400, 401, 403, 404) } } },
    async (req) => {
      const { accountId } = req.params as { accountId: string };
      return audited(req, { action: 'plugins.states', targetAccount: accountId }, async () => ({ items: await services(req).plugins.states(req.ctx.db, accountId) }));
    },
  );

  app.put(
    '/admin/accounts/:accountId/plugins/:pluginId',
    {
      config,
      schema: {
        summary: 'Enable or disable a plugin for an account; settings and secrets are checked against the plugin’s schemas, secrets are write-only',
        params: pluginParams,
        body: {
          type: 'object',
          properties: { enabled: { type: 'boolean' }, settings: anyObject, secrets: { ...anyObject, description: 'Replaces the stored secrets; never returned' } },
          required: ['enabled'],
          additionalProperties: false,
        },
        response: { 200: pluginStateOut, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => {
      const { accountId, pluginId } = req.params as { accountId: string; pluginId: string };
      const change = req.body as { enabled: boolean; settings?: Record<string, unknown>; secrets?: Record<string, unknown> };
      const details = { enabled: change.enabled, settings: change.settings ?? null, secretsReplaced: change.secrets !== undefined };
      return audited(req, { action: 'plugins.set', targetAccount: accountId, target: `plugins/${pluginId}`, details }, () => services(req).plugins.set(req.ctx.db, accountId, pluginId, change));
    },
  );
};
