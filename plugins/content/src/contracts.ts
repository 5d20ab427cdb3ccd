/**
 * The content plugin's public contract: event types with their payload schemas and
 * permission ids. Other plugins import this entry point
 * (`@markettina/plugin-content/contracts`), never the implementation. No logic here.
 */
import { uuid, type JsonSchema, type PermissionDeclaration } from '@markettina/sdk';

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

/** What a content piece or a template is: long-form, a single post, a thread, a script, an email, slides. */
export const PIECE_TYPES = ['blog', 'social_post', 'thread', 'carousel', 'video_script', 'email'] as const;
export type PieceType = (typeof PIECE_TYPES)[number];

/** A piece's review: written, submitted, then approved or rejected (and back to draft to revise). */
export const PIECE_STATUSES = ['draft', 'review', 'approved', 'rejected'] as const;
export type PieceStatus = (typeof PIECE_STATUSES)[number];

/** Events of posts: versions, review, scheduling. */
export const POST_EVENTS = {
  contentVersionCreated: 'content.ContentVersionCreated',
  approvalRequested: 'content.ApprovalRequested',
  approvalGranted: 'content.ApprovalGranted',
  approvalRejected: 'content.ApprovalRejected',
  postScheduled: 'content.PostScheduled',
  postUnscheduled: 'content.PostUnscheduled',
} as const;

const nullableUuid = { anyOf: [uuid, { type: 'null' }] } as const;
const version = { type: 'integer', minimum: 1 } as const;
const postEvent = (properties: Record<string, unknown>, required: string[]): JsonSchema => ({
  type: 'object',
  properties: { postId: uuid, ...properties },
  required: ['postId', ...required],
  additionalProperties: false,
});
const target = (extra: Record<string, unknown>, required: string[]): JsonSchema => ({
  type: 'object',
  properties: { scheduleId: uuid, socialAccountId: uuid, publicationId: uuid, ...extra },
  required: ['scheduleId', 'socialAccountId', 'publicationId', ...required],
  additionalProperties: false,
});

export const POST_EVENT_SCHEMAS: Record<string, JsonSchema> = {
  // Every change of a post's content, including its creation (version 1) and restores.
  [POST_EVENTS.contentVersionCreated]: postEvent(
    { version, restoredFrom: { anyOf: [version, { type: 'null' }] }, authorId: { type: ['string', 'null'] }, changed: { type: 'array', items: { type: 'string' } } },
    ['version', 'restoredFrom', 'authorId', 'changed'],
  ),
  [POST_EVENTS.approvalRequested]: postEvent({ version, requestedBy: { type: ['string', 'null'] } }, ['version', 'requestedBy']),
  [POST_EVENTS.approvalGranted]: postEvent({ version, approvedBy: { type: ['string', 'null'] } }, ['version', 'approvedBy']),
  [POST_EVENTS.approvalRejected]: postEvent({ version, rejectedBy: { type: ['string', 'null'] }, reason: { type: 'string' } }, ['version', 'rejectedBy', 'reason']),
  // Published when targets are scheduled and when they are moved (`rescheduled`).
  [POST_EVENTS.postScheduled]: postEvent(
    {
      version,
      campaignId: nullableUuid,
      dueAt: { type: 'string', format: 'date-time' },
      timeZone: { type: ['string', 'null'] },
      rescheduled: { type: 'boolean' },
      targets: { type: 'array', minItems: 1, items: target({ connector: { type: 'string' } }, ['connector']) },
    },
    ['version', 'campaignId', 'dueAt', 'timeZone', 'rescheduled', 'targets'],
  ),
  [POST_EVENTS.postUnscheduled]: postEvent({ targets: { type: 'array', minItems: 1, items: target({}, []) } }, ['targets']),
};

export interface ContentVersionCreatedData extends Record<string, unknown> {
  postId: string;
  version: number;
  restoredFrom: number | null;
  authorId: string | null;
  /** Top-level content fields that differ from the version before (all of them for version 1). */
  changed: string[];
}

export interface ApprovalRequestedData extends Record<string, unknown> {
  postId: string;
  version: number;
  requestedBy: string | null;
}

export interface ApprovalGrantedData extends Record<string, unknown> {
  postId: string;
  version: number;
  approvedBy: string | null;
}

export interface ApprovalRejectedData extends Record<string, unknown> {
  postId: string;
  version: number;
  rejectedBy: string | null;
  reason: string;
}

export interface ScheduledTarget {
  scheduleId: string;
  socialAccountId: string;
  publicationId: string;
}

export interface PostScheduledData extends Record<string, unknown> {
  postId: string;
  version: number;
  campaignId: string | null;
  dueAt: string;
  timeZone: string | null;
  rescheduled: boolean;
  targets: (ScheduledTarget & { connector: string })[];
}

export interface PostUnscheduledData extends Record<string, unknown> {
  postId: string;
  targets: ScheduledTarget[];
}

export const EVENTS = {
  ...POST_EVENTS,
  contentPieceCreated: 'content.ContentPieceCreated',
  contentRepurposed: 'content.ContentRepurposed',
} as const;

/** Payload schemas; events are published in the tenant that owns the content. */
export const EVENT_SCHEMAS: Record<string, JsonSchema> = {
  ...POST_EVENT_SCHEMAS,
  [EVENTS.contentPieceCreated]: {
    type: 'object',
    properties: {
      pieceId: uuid,
      type: { enum: PIECE_TYPES },
      title: { type: 'string' },
      platform: { type: ['string', 'null'] },
      parentId: { anyOf: [uuid, { type: 'null' }] },
      campaignId: { anyOf: [uuid, { type: 'null' }] },
    },
    required: ['pieceId', 'type', 'title', 'platform', 'parentId', 'campaignId'],
    additionalProperties: false,
  },
  // One event per repurposing call, after the children's own ContentPieceCreated events.
  [EVENTS.contentRepurposed]: {
    type: 'object',
    properties: {
      parentId: uuid,
      children: {
        type: 'array',
        items: {
          type: 'object',
          properties: { pieceId: uuid, type: { enum: PIECE_TYPES }, platform: { type: ['string', 'null'] } },
          required: ['pieceId', 'type', 'platform'],
          additionalProperties: false,
        },
      },
    },
    required: ['parentId', 'children'],
    additionalProperties: false,
  },
};

export interface ContentPieceCreatedData extends Record<string, unknown> {
  pieceId: string;
  type: PieceType;
  title: string;
  platform: string | null;
  parentId: string | null;
  campaignId: string | null;
}

export interface ContentRepurposedData extends Record<string, unknown> {
  parentId: string;
  children: { pieceId: string; type: PieceType; platform: string | null }[];
}

/**
 * How a post refers to a media asset of its own tenant: by asset id, with alt text that
 * overrides the asset's own for that post. Resolved to the social plugin's
 * `PublicationMedia` (blob key, type, size, alt text, file name) when scheduled.
 */
export interface MediaAssetRef {
  assetId: string;
  altText?: string;
}
