import type { Knex } from 'knex';
import { formatLocalDateTime, problems, toLocalDateTime } from '@markettina/sdk';
import { deliveryStatus, type DeliveryStatus, type TargetStatus } from '../domain/schedule-status.js';

/** One post scheduled on one account: content's mirror of one social publication. */
export interface ScheduleView {
  id: string;
  postId: string;
  /** The post version that was scheduled. */
  version: number;
  socialAccountId: string;
  platform: string;
  publicationId: string;
  dueAt: string;
  timeZone: string | null;
  /** `dueAt` on the wall clock of `timeZone`. */
  localTime: string | null;
  status: TargetStatus;
  externalId: string | null;
  url: string | null;
  publishedAt: string | null;
  failure: { code: string; reason: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleRow {
  id: string;
  post_id: string;
  version: number;
  social_account_id: string;
  connector: string;
  publication_id: string;
  due_at: Date;
  time_zone: string | null;
  status: TargetStatus;
  external_id: string | null;
  url: string | null;
  published_at: Date | null;
  failure_code: string | null;
  failure_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export const scheduleView = (r: ScheduleRow): ScheduleView => ({
  id: r.id,
  postId: r.post_id,
  version: r.version,
  socialAccountId: r.social_account_id,
  platform: r.connector,
  publicationId: r.publication_id,
  dueAt: r.due_at.toISOString(),
  timeZone: r.time_zone,
  localTime: r.time_zone ? formatLocalDateTime(toLocalDateTime(r.due_at, r.time_zone)) : null,
  status: r.status,
  externalId: r.external_id,
  url: r.url,
  publishedAt: r.published_at?.toISOString() ?? null,
  failure: r.failure_code !== null ? { code: r.failure_code, reason: r.failure_reason ?? '' } : null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const SCHEDULE_COLUMNS = [
  'id',
  'post_id',
  'version',
  'social_account_id',
  'connector',
  'publication_id',
  'due_at',
  'time_zone',
  'status',
  'external_id',
  'url',
  'published_at',
  'failure_code',
  'failure_reason',
  'created_at',
  'updated_at',
];

export const selectSchedules = (db: Knex.Transaction) => db('content_post_schedules').select(SCHEDULE_COLUMNS);

/** Every schedule of a post, oldest first. */
export async function schedulesOf(db: Knex.Transaction, postId: string): Promise<ScheduleRow[]> {
  return (await selectSchedules(db).where({ post_id: postId }).orderBy([{ column: 'created_at' }, { column: 'id' }])) as ScheduleRow[];
}

export const liveSchedules = async (db: Knex.Transaction, postId: string): Promise<ScheduleRow[]> =>
  (await schedulesOf(db, postId)).filter((r) => r.status === 'scheduled');

/** A post in flight on some account cannot change: what is published must be what was scheduled. */
export async function assertNotScheduled(db: Knex.Transaction, postId: string): Promise<void> {
  const live = await liveSchedules(db, postId);
  if (live.length > 0) {
    throw problems.conflict('POST_SCHEDULED', 'the post is scheduled; unschedule it before changing it', {
      schedules: live.map((r) => ({ scheduleId: r.id, socialAccountId: r.social_account_id, dueAt: r.due_at.toISOString() })),
    });
  }
}

/** Recomputes the post's delivery status from its schedules (the caller holds the post's lock). */
export async function refreshDelivery(db: Knex.Transaction, postId: string): Promise<DeliveryStatus> {
  const statuses = (await db('content_post_schedules').where({ post_id: postId }).pluck('status')) as TargetStatus[];
  const status = deliveryStatus(statuses);
  await db('content_posts').where({ id: postId }).update({ delivery_status: status, updated_at: db.fn.now() });
  return status;
}
