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

export const EVENTS = {
  contentPieceCreated: 'content.ContentPieceCreated',
  contentRepurposed: 'content.ContentRepurposed',
} as const;

/** Payload schemas; events are published in the tenant that owns the content. */
export const EVENT_SCHEMAS: Record<string, JsonSchema> = {
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
