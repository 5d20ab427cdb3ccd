import type { FastifyPluginAsync } from 'fastify';
import type { TemplateFields, TemplatePatch } from '../domain/templates.js';
import type { TemplateFilter } from '../services/templates.js';
import { caller, listing, noContentReply, param, policy, services } from './context.js';
import { errors, noContent } from './schemas.js';
import { createTemplateBody, patchTemplateBody, renderBody, renderOut, templateListQuery, templateOut, templatePage, templateParams } from './templates-schemas.js';

/** Templates: text with typed variables, checked when saved and rendered safely. */
export const templateRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/templates',
    { config: policy.templatesRead, schema: { summary: 'List templates, newest first; filter by content type and platform', querystring: templateListQuery, response: { 200: templatePage, ...errors(400, 401, 403) } } },
    async (req) => {
      const { filter, page } = listing<TemplateFilter>(req);
      return services(req).templates.list(req.ctx.db, filter, page);
    },
  );

  app.get('/templates/:templateId', { config: policy.templatesRead, schema: { summary: 'Read a template', params: templateParams, response: { 200: templateOut, ...errors(400, 401, 403, 404) } } }, async (req) =>
    services(req).templates.get(req.ctx.db, param(req, 'templateId')),
  );

  app.post(
    '/templates',
    {
      config: policy.templatesWrite,
      schema: {
        summary: 'Create a template; every placeholder must be declared (422 TEMPLATE_INVALID lists each error with its position)',
        body: createTemplateBody,
        response: { 201: templateOut, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const body = req.body as Partial<TemplateFields> & Pick<TemplateFields, 'name' | 'contentType' | 'body'>;
      const created = await services(req).templates.create(caller(req), { description: '', platform: null, variables: [], ...body });
      reply.code(201).header('location', `/v1/content/templates/${created.id}`);
      return created;
    },
  );

  app.patch(
    '/templates/:templateId',
    {
      config: policy.templatesWrite,
      schema: { summary: 'Change a template; it is checked again as a whole', params: templateParams, body: patchTemplateBody, response: { 200: templateOut, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (req) => services(req).templates.update(caller(req), param(req, 'templateId'), req.body as TemplatePatch),
  );

  app.delete(
    '/templates/:templateId',
    { config: policy.templatesWrite, schema: { summary: 'Delete a template', params: templateParams, response: { ...noContent, ...errors(400, 401, 403, 404) } } },
    async (req, reply) => {
      await services(req).templates.remove(caller(req), param(req, 'templateId'));
      return noContentReply(reply);
    },
  );

  app.post(
    '/templates/:templateId/render',
    {
      config: policy.templatesRead,
      schema: {
        summary: 'Render a template with values: checked against the variable types (422 TEMPLATE_VALUES_INVALID lists each), formatted for the locale, inserted as plain text',
        params: templateParams,
        body: renderBody,
        response: { 200: renderOut, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (req) => {
      const body = req.body as { values: Record<string, unknown>; locale: string; maxLength: number };
      return services(req).templates.render(req.ctx.db, param(req, 'templateId'), body.values, { locale: body.locale, maxLength: body.maxLength });
    },
  );
};
