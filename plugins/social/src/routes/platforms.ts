import type { FastifyPluginAsync } from 'fastify';
import { problems } from '@markettina/sdk';
import { draftSchema, toPostDraft, type RestDraft } from '../domain/drafts.js';
import { socialRuntimeRef } from '../runtime.js';
import type { AccountRow } from '../store/accounts.js';
import { platform, violation } from './schemas.js';

export const platformRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/platforms',
    {
      config: { permission: 'social.accounts:read' },
      schema: { summary: 'Installed connectors and what each platform can do', response: { 200: { type: 'object', properties: { items: { type: 'array', items: platform } }, required: ['items'] } } },
    },
    async (req) => ({ items: [...req.ctx.get(socialRuntimeRef).connectors.values()].map((c) => c.describe()) }),
  );

  app.post(
    '/validate',
    {
      config: { permission: 'social.accounts:read' },
      schema: {
        summary: 'Checks a draft against the limits of the chosen accounts',
        body: {
          type: 'object',
          properties: { socialAccountIds: { type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1, maxItems: 50, uniqueItems: true }, draft: draftSchema },
          required: ['socialAccountIds', 'draft'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              valid: { type: 'boolean' },
              results: { type: 'array', items: { type: 'object', properties: { socialAccountId: { type: 'string' }, connector: { type: 'string' }, valid: { type: 'boolean' }, violations: { type: 'array', items: violation } } } },
            },
            required: ['valid', 'results'],
          },
        },
      },
    },
    async (req) => {
      const rt = req.ctx.get(socialRuntimeRef);
      const body = req.body as { socialAccountIds: string[]; draft: RestDraft };
      const rows = await req.ctx.db<AccountRow>('social_accounts').whereIn('id', body.socialAccountIds);
      const missing = body.socialAccountIds.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length) throw problems.notFound('social account', `unknown social accounts: ${missing.join(', ')}`);
      const draft = toPostDraft(body.draft);
      const results = [];
      for (const id of body.socialAccountIds) {
        const row = rows.find((r) => r.id === id)!;
        const violations = (await rt.connector(req.ctx.db, row.connector)).validate(draft);
        results.push({ socialAccountId: id, connector: row.connector, valid: violations.length === 0, violations });
      }
      return { valid: results.every((r) => r.valid), results };
    },
  );
};
