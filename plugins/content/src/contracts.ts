/**
 * The content plugin's public contract: event types with their payload schemas and
 * permission ids. Other plugins import this entry point
 * (`@markettina/plugin-content/contracts`), never the implementation. No logic here.
 */
import type { JsonSchema, PermissionDeclaration } from '@markettina/sdk';

export const CONTENT_PLUGIN_ID = 'content';

export const PERMISSIONS = {
  postsRead: 'content.posts:read',
  postsWrite: 'content.posts:write',
  /** Approve or reject posts in review; kept apart so authors cannot approve their own work. */
  postsApprove: 'content.posts:approve',
  postsSchedule: 'content.posts:schedule',
  templatesRead: 'content.templates:read',
  templatesWrite: 'content.templates:write',
  mediaRead: 'content.media:read',
  mediaWrite: 'content.media:write',
  piecesRead: 'content.pieces:read',
  piecesWrite: 'content.pieces:write',
} as const;

export const PERMISSION_DECLARATIONS: PermissionDeclaration[] = [
  { id: PERMISSIONS.postsRead, description: 'List and read posts, their versions, variants and schedule, and the calendar' },
  { id: PERMISSIONS.postsWrite, description: 'Create, edit, restore and delete posts; submit them for review' },
  { id: PERMISSIONS.postsApprove, description: 'Approve or reject posts in review' },
  { id: PERMISSIONS.postsSchedule, description: 'Schedule posts to connected accounts and cancel schedules' },
  { id: PERMISSIONS.templatesRead, description: 'List, read and render templates' },
  { id: PERMISSIONS.templatesWrite, description: 'Create, change and delete templates' },
  { id: PERMISSIONS.mediaRead, description: 'List and download media assets' },
  { id: PERMISSIONS.mediaWrite, description: 'Upload, tag and delete media assets' },
  { id: PERMISSIONS.piecesRead, description: 'List and read content pieces and their repurposing chains' },
  { id: PERMISSIONS.piecesWrite, description: 'Create, change, repurpose, review and delete content pieces' },
];

export const EVENTS = {} as const;

/** Payload schemas; events are published in the tenant that owns the content. */
export const EVENT_SCHEMAS: Record<string, JsonSchema> = {};
