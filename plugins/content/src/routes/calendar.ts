import type { FastifyPluginAsync } from 'fastify';
import { calendar, type CalendarQuery } from '../services/calendar.js';
import { policy } from './context.js';
import { calendarOut, calendarQuery } from './schedule-schemas.js';
import { errors } from './schemas.js';

/** The publishing calendar: what is scheduled or went out between two instants, by day in the caller's zone. */
export const calendarRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/calendar',
    {
      config: policy.postsRead,
      schema: {
        summary: 'Scheduled and published posts between two instants, grouped by day in the given time zone (at most 92 days)',
        querystring: calendarQuery,
        response: { 200: calendarOut, ...errors(400, 401, 403) },
      },
    },
    async (req) => calendar(req.ctx.db, req.query as CalendarQuery),
  );
};
