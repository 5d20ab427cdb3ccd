import type { FastifyPluginAsync } from 'fastify';
import { approvalRoutes } from './approval.js';
import { calendarRoutes } from './calendar.js';
import { postRoutes } from './posts.js';
import { scheduleRoutes } from './schedule.js';
import { variantRoutes } from './variants.js';
import { versionRoutes } from './versions.js';

/** Posts, their versions, variants, review and scheduling, and the calendar. */
export const postsRoutes: FastifyPluginAsync = async (app) => {
  await app.register(postRoutes);
  await app.register(versionRoutes);
  await app.register(variantRoutes);
  await app.register(approvalRoutes);
  await app.register(scheduleRoutes);
  await app.register(calendarRoutes);
};
