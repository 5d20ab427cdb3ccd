import type { FastifyPluginAsync } from 'fastify';
import { approvalRoutes } from './approval.js';
import { calendarRoutes } from './calendar.js';
import { mediaRoutes } from './media.js';
import { pieceRoutes } from './pieces.js';
import { postRoutes } from './posts.js';
import { scheduleRoutes } from './schedule.js';
import { templateRoutes } from './templates.js';
import { textMetricsRoutes } from './text-metrics.js';
import { variantRoutes } from './variants.js';
import { versionRoutes } from './versions.js';

/** Every route of the plugin, mounted by the kernel under `/v1/content`. */
export const contentRoutes: FastifyPluginAsync = async (app) => {
  await app.register(postRoutes);
  await app.register(versionRoutes);
  await app.register(variantRoutes);
  await app.register(approvalRoutes);
  await app.register(scheduleRoutes);
  await app.register(calendarRoutes);
  await app.register(mediaRoutes);
  await app.register(templateRoutes);
  await app.register(pieceRoutes);
  await app.register(textMetricsRoutes);
};
