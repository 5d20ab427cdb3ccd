import { coreServices, createServiceRef, type ServiceContext } from '@markettina/sdk';
import { ApprovalService } from './approval.js';
import { MediaStore } from './media.js';
import { PieceStore } from './pieces.js';
import { mediaCatalog } from './posts-media.js';
import { PostService } from './posts.js';
import { ScheduleService } from './schedule.js';
import { TemplateStore } from './templates.js';

export type ContentServices = ReturnType<typeof createContentServices>;

/** The plugin's own services, one set per kernel; routes reach them through this ref. */
export const contentInternals = createServiceRef<ContentServices>({ id: 'content.internals' });

/** Wires the services from the kernel's. Nothing here does I/O until called. */
export function createContentServices(ctx: ServiceContext) {
  const events = ctx.get(coreServices.events);
  return {
    posts: new PostService(events, mediaCatalog),
    approval: new ApprovalService(events),
    schedule: new ScheduleService(events, mediaCatalog),
    templates: new TemplateStore(),
    pieces: new PieceStore(events),
    media: new MediaStore(ctx.get(coreServices.blobs), ctx.get(coreServices.jobs)),
    accounts: ctx.get(coreServices.accounts),
  };
}
