import { timestamp, uuid, type JsonSchema } from '@markettina/sdk';
import { TARGET_STATUSES } from '../domain/schedule-status.js';
import { nullableString, nullableTimestamp, nullableUuid, params, platform } from './schemas.js';

export const scheduleParams = params('postId', 'scheduleId');

const time = {
  at: {
    type: 'string',
    minLength: 16,
    maxLength: 40,
    description: 'An instant with an offset (2027-03-28T09:00:00+02:00), or a local date-time (2027-03-28T09:00) read in timeZone',
  },
  timeZone: {
    type: 'string',
    minLength: 1,
    maxLength: 64,
    description: 'IANA zone (Europe/Rome). Needed for a local date-time; kept for display either way. A local time a clock change skips moves forward by the gap; one it repeats is the earlier',
  },
} as const;

export const scheduleBody: JsonSchema = {
  type: 'object',
  properties: {
    targets: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      uniqueItems: true,
      items: { type: 'object', properties: { socialAccountId: uuid }, required: ['socialAccountId'], additionalProperties: false },
    },
    ...time,
  },
  required: ['targets', 'at'],
  additionalProperties: false,
};

export const rescheduleBody: JsonSchema = { type: 'object', properties: time, required: ['at'], additionalProperties: false };

export const scheduleOut: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    postId: uuid,
    version: { type: 'integer' },
    socialAccountId: uuid,
    platform,
    publicationId: uuid,
    dueAt: timestamp,
    timeZone: nullableString,
    localTime: nullableString,
    status: { enum: TARGET_STATUSES },
    externalId: nullableString,
    url: nullableString,
    publishedAt: nullableTimestamp,
    failure: { type: ['object', 'null'], properties: { code: { type: 'string' }, reason: { type: 'string' } }, required: ['code', 'reason'] },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
  required: ['id', 'postId', 'version', 'socialAccountId', 'platform', 'publicationId', 'dueAt', 'timeZone', 'localTime', 'status', 'externalId', 'url', 'publishedAt', 'failure', 'createdAt', 'updatedAt'],
};

export const scheduleList: JsonSchema = { type: 'object', properties: { items: { type: 'array', items: scheduleOut } }, required: ['items'] };

export const scheduleResultOut: JsonSchema = {
  type: 'object',
  properties: {
    postId: uuid,
    dueAt: timestamp,
    timeZone: nullableString,
    localTime: { ...nullableString, description: 'dueAt on the wall clock of timeZone' },
    resolution: { enum: ['instant', 'exact', 'gap', 'overlap'], description: 'How the time was read: an instant, or a local time that was exact, skipped (gap) or repeated (overlap)' },
    schedules: { type: 'array', items: scheduleOut },
  },
  required: ['postId', 'dueAt', 'timeZone', 'localTime', 'resolution', 'schedules'],
};

export const calendarQuery: JsonSchema = {
  type: 'object',
  properties: {
    from: { ...timestamp, description: 'Start of the window (inclusive), an instant with an offset' },
    to: { ...timestamp, description: 'End of the window (exclusive); at most 92 days after from' },
    timeZone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA zone the days are counted in' },
    campaignId: uuid,
    platform,
  },
  required: ['from', 'to', 'timeZone'],
  additionalProperties: false,
};

const calendarItem: JsonSchema = {
  type: 'object',
  properties: {
    scheduleId: uuid,
    postId: uuid,
    title: { type: 'string' },
    excerpt: { type: 'string' },
    socialAccountId: uuid,
    platform,
    status: { enum: TARGET_STATUSES.filter((s) => s !== 'cancelled') },
    at: timestamp,
    localTime: { type: 'string' },
    campaignId: nullableUuid,
    url: nullableString,
  },
  required: ['scheduleId', 'postId', 'title', 'excerpt', 'socialAccountId', 'platform', 'status', 'at', 'localTime', 'campaignId', 'url'],
};

export const calendarOut: JsonSchema = {
  type: 'object',
  properties: {
    from: timestamp,
    to: timestamp,
    timeZone: { type: 'string' },
    days: {
      type: 'array',
      items: { type: 'object', properties: { date: { type: 'string', format: 'date' }, items: { type: 'array', items: calendarItem } }, required: ['date', 'items'] },
    },
    truncated: { type: 'boolean' },
  },
  required: ['from', 'to', 'timeZone', 'days', 'truncated'],
};
