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

/**
 * The review posts and pieces share: written (`draft`), submitted (`review`), then `approved`
 * or `rejected` by someone else than its author (unless the tenant allows self-approval). A
 * rejected one is submitted again, as it is or reworked.
 */
export const REVIEW_STATUSES = ['draft', 'review', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** A piece's review status (a piece also goes back to draft to be revised). */
export const PIECE_STATUSES = REVIEW_STATUSES;
export type PieceStatus = ReviewStatus;

/** Events of posts: versions, review (`Approval*`), scheduling. */
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
/** Who did it: a principal id, or null for a request without one. */
const actor = { type: ['string', 'null'] } as const;
/** The payload schema of an event about one post or one piece, named by `key`. */
const eventAbout =
  (key: 'postId' | 'pieceId') =>
  (properties: Record<string, unknown>, required: string[]): JsonSchema => ({
    type: 'object',
    properties: { [key]: uuid, ...properties },
    required: [key, ...required],
    additionalProperties: false,
  });
const postEvent = eventAbout('postId');
const pieceEvent = eventAbout('pieceId');
const target = (extra: Record<string, unknown>, required: string[]): JsonSchema => ({
  type: 'object',
  properties: { scheduleId: uuid, socialAccountId: uuid, publicationId: uuid, ...extra },
  required: ['scheduleId', 'socialAccountId', 'publicationId', ...required],
  additionalProperties: false,
});

export const POST_EVENT_SCHEMAS: Record<string, JsonSchema> = {
  // Every change of a post's content, including its creation (version 1) and restores.
  [POST_EVENTS.contentVersionCreated]: postEvent(
    { version, restoredFrom: { anyOf: [version, { type: 'null' }] }, authorId: actor, changed: { type: 'array', items: { type: 'string' } } },
    ['version', 'restoredFrom', 'authorId', 'changed'],
  ),
  [POST_EVENTS.approvalRequested]: postEvent({ version, requestedBy: actor }, ['version', 'requestedBy']),
  [POST_EVENTS.approvalGranted]: postEvent({ version, approvedBy: actor }, ['version', 'approvedBy']),
  [POST_EVENTS.approvalRejected]: postEvent({ version, rejectedBy: actor, reason: { type: 'string' } }, ['version', 'rejectedBy', 'reason']),
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

/**
 * Events of content pieces. Their review publishes the same three events as a post's, with
 * the piece's id: submitted, approved (with the reviewer's notes, if any), rejected (with the
 * notes as the reason). Moving a piece back to draft publishes nothing, as editing a post
 * back to draft publishes only its new version.
 */
export const PIECE_EVENTS = {
  contentPieceCreated: 'content.ContentPieceCreated',
  contentRepurposed: 'content.ContentRepurposed',
  pieceApprovalRequested: 'content.PieceApprovalRequested',
  pieceApprovalGranted: 'content.PieceApprovalGranted',
  pieceApprovalRejected: 'content.PieceApprovalRejected',
} as const;

export const EVENTS = { ...POST_EVENTS, ...PIECE_EVENTS } as const;

/** Payload schemas; events are published in the tenant that owns the content. */
export const EVENT_SCHEMAS: Record<string, JsonSchema> = {
  ...POST_EVENT_SCHEMAS,
  [EVENTS.pieceApprovalRequested]: pieceEvent({ requestedBy: actor }, ['requestedBy']),
  [EVENTS.pieceApprovalGranted]: pieceEvent({ approvedBy: actor, notes: { type: ['string', 'null'] } }, ['approvedBy', 'notes']),
  [EVENTS.pieceApprovalRejected]: pieceEvent({ rejectedBy: actor, reason: { type: 'string' } }, ['rejectedBy', 'reason']),
  [EVENTS.contentPieceCreated]: pieceEvent(
    { type: { enum: PIECE_TYPES }, title: { type: 'string' }, platform: { type: ['string', 'null'] }, parentId: nullableUuid, campaignId: nullableUuid },
    ['type', 'title', 'platform', 'parentId', 'campaignId'],
  ),
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

export interface PieceApprovalRequestedData extends Record<string, unknown> {
  pieceId: string;
  requestedBy: string | null;
}

export interface PieceApprovalGrantedData extends Record<string, unknown> {
  pieceId: string;
  approvedBy: string | null;
  notes: string | null;
}

export interface PieceApprovalRejectedData extends Record<string, unknown> {
  pieceId: string;
  rejectedBy: string | null;
  reason: string;
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
