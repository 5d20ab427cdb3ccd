import type { FastifyPluginAsync } from 'fastify';
import type { ScheduleTimeInput } from '../domain/schedule-time.js';
import type { ScheduleInput } from '../services/schedule.js';
import { caller, param, policy, scheduleCaller, services } from './context.js';
import { postParams } from './posts-schemas.js';
import { rescheduleBody, scheduleBody, scheduleList, scheduleParams, scheduleResultOut } from './schedule-schemas.js';
import { errors } from './schemas.js';

const changes = (ok: number, schema: Record<string, unknown>) => ({ [ok]: schema, ...errors(400, 401, 403, 404, 409, 422) });

/** Scheduling a post on connected accounts, at an instant or a local time in a zone; moving and withdrawing it. */
export const scheduleRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/posts/:postId/schedule',
    { config: policy.postsRead, schema: { summary: 'Where and when the post is scheduled, and what became of each target', params: postParams, response: { 200: scheduleList, ...errors(400, 401, 403, 404) } } },
    async (req) => ({ items: await services(req).schedule.list(caller(req), param(req, 'postId')) }),
  );

  app.post(
    '/posts/:postId/schedule',
    {
      config: policy.postsSchedule,
      schema: {
        summary: "Schedule the post's current version on social accounts, each getting its platform's variant; all targets or none",
        params: postParams,
        body: scheduleBody,
        response: changes(201, scheduleResultOut),
      },
    },
    async (req, reply) => {
      const result = await services(req).schedule.schedule(scheduleCaller(req), param(req, 'postId'), req.body as ScheduleInput);
      reply.code(201);
      return result;
    },
  );

  app.patch(
    '/posts/:postId/schedule',
    { config: policy.postsSchedule, schema: { summary: "Move every scheduled target of the post to a new time", params: postParams, body: rescheduleBody, response: changes(200, scheduleResultOut) } },
    async (req) => services(req).schedule.reschedule(scheduleCaller(req), param(req, 'postId'), req.body as ScheduleTimeInput),
  );

  app.patch(
    '/posts/:postId/schedule/:scheduleId',
    { config: policy.postsSchedule, schema: { summary: 'Move one scheduled target to a new time', params: scheduleParams, body: rescheduleBody, response: changes(200, scheduleResultOut) } },
    async (req) => services(req).schedule.reschedule(scheduleCaller(req), param(req, 'postId'), req.body as ScheduleTimeInput, param(req, 'scheduleId')),
  );

  app.delete(
    '/posts/:postId/schedule',
    { config: policy.postsSchedule, schema: { summary: 'Unschedule every target still waiting; the post can then be edited', params: postParams, response: changes(200, scheduleList) } },
    async (req) => ({ items: await services(req).schedule.unschedule(scheduleCaller(req), param(req, 'postId')) }),
  );

  app.delete(
    '/posts/:postId/schedule/:scheduleId',
    { config: policy.postsSchedule, schema: { summary: 'Unschedule one target still waiting', params: scheduleParams, response: changes(200, scheduleList) } },
    async (req) => ({ items: await services(req).schedule.unschedule(scheduleCaller(req), param(req, 'postId'), param(req, 'scheduleId')) }),
  );
};
