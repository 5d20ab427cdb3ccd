import { coreServices, createServiceRef, type ServiceContext } from '@markettina/sdk';
import { ApprovalService } from './approval.js';
import type { MediaCatalog } from './posts-media.js';
import { PostService } from './posts.js';
import { ScheduleService } from './schedule.js';

export type PostsServices = ReturnType<typeof createPostsServices>;

/** The posts services, one set per kernel; routes reach them through this ref. */
export const postsInternals = createServiceRef<PostsServices>({ id: 'content.posts' });

/** Wires the posts services from the kernel's. Nothing here does I/O until called. */
export function createPostsServices(ctx: ServiceContext, media: MediaCatalog) {
  const events = ctx.get(coreServices.events);
  return {
    posts: new PostService(events, media),
    approval: new ApprovalService(events),
    schedule: new ScheduleService(events, media),
    accounts: ctx.get(coreServices.accounts),
  };
}
