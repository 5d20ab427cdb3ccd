import { isProblemError, ProblemError, problems, type EventBus } from '@markettina/sdk';
import type { PublicationView, Publisher } from '@markettina/plugin-social/contracts';
import { CONTENT_PLUGIN_ID, POST_EVENTS, type PostScheduledData, type PostUnscheduledData } from '../contracts.js';
import { assertSchedulable } from '../domain/approval.js';
import { mediaAssetIds } from '../domain/posts.js';
import { resolveScheduleTime, type ScheduleTime, type ScheduleTimeInput } from '../domain/schedule-time.js';
import { effectiveContent, publicationDraft } from '../domain/variants.js';
import type { MediaCatalog } from './posts-media.js';
import type { ContentCaller } from './caller.js';
import { getPost, lockPost, type PostView } from './posts-store.js';
import { liveSchedules, refreshDelivery, scheduleView, schedulesOf, selectSchedules, type ScheduleRow, type ScheduleView } from './schedule-store.js';
import { contentOf } from './versions.js';

export interface ScheduleCaller extends ContentCaller {
  /** The social plugin's publisher; undefined when that plugin is not installed. */
  publisher: Publisher | undefined;
  now: Date;
}

export interface ScheduleInput extends ScheduleTimeInput {
  targets: { socialAccountId: string }[];
}

export interface ScheduleResult extends Omit<ScheduleTime, 'dueAt'> {
  postId: string;
  dueAt: string;
  schedules: ScheduleView[];
}

const unavailable = () =>
  new ProblemError({ status: 409, code: 'SCHEDULING_UNAVAILABLE', title: 'Conflict', detail: 'publishing to social accounts is not installed on this deployment' });

function publisherOf(c: ScheduleCaller): Publisher {
  if (!c.publisher) throw unavailable();
  return c.publisher;
}

// Members of a problem document an extension must not overwrite.
const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId']);

/**
 * The publisher's problem about one target, saying which target it was about. A `status`
 * extension (the publication's) is passed on as `publicationStatus`, leaving the HTTP
 * status of the problem alone.
 */
function aboutTarget(err: unknown, socialAccountId: string, platform?: string): unknown {
  if (!isProblemError(err)) return err;
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err.extensions)) {
    if (key === 'status') extensions.publicationStatus = value;
    else if (!PROBLEM_MEMBERS.has(key)) extensions[key] = value;
  }
  return new ProblemError({ ...err, extensions: { ...extensions, socialAccountId, ...(platform ? { platform } : {}) } });
}

/**
 * Scheduling posts through the social plugin's publisher. Every target of a request is
 * scheduled or none is: the publications are written in the request's transaction. Content
 * keeps one row per publication, so its listings and calendar need only its own tables.
 */
export class ScheduleService {
  constructor(
    private readonly events: EventBus,
    private readonly media: MediaCatalog,
  ) {}

  async list(c: ContentCaller, postId: string): Promise<ScheduleView[]> {
    await getPost(c.db, postId);
    return (await schedulesOf(c.db, postId)).map(scheduleView);
  }

  async schedule(c: ScheduleCaller, postId: string, input: ScheduleInput): Promise<ScheduleResult> {
    const publisher = publisherOf(c);
    const time = resolveScheduleTime(input, c.now);
    const post = await lockPost(c.db, postId);
    assertSchedulable(post.approvalStatus, (await c.settings()).requireApproval);
    const live = await liveSchedules(c.db, postId);
    for (const { socialAccountId } of input.targets) {
      const busy = live.find((r) => r.social_account_id === socialAccountId);
      if (busy) {
        throw problems.conflict('ALREADY_SCHEDULED', 'the post is already scheduled on this account; reschedule or unschedule it', { socialAccountId, scheduleId: busy.id });
      }
    }
    const content = contentOf(post);
    const ids = mediaAssetIds(content);
    const media = ids.length ? await this.media.resolve(c.db, ids) : new Map();
    const rows: ScheduleRow[] = [];
    for (const { socialAccountId } of input.targets) {
      const account = await publisher.account(c.db, socialAccountId);
      if (!account) throw problems.invalid('SOCIAL_ACCOUNT_NOT_FOUND', `no social account ${socialAccountId}`, { socialAccountId });
      const draft = publicationDraft(effectiveContent(content, account.connector), media);
      let publication: PublicationView;
      try {
        publication = await publisher.schedule(c.db, {
          socialAccountId,
          draft,
          dueAt: time.dueAt,
          ...(time.timeZone ? { timeZone: time.timeZone } : {}),
          source: { plugin: CONTENT_PLUGIN_ID, id: postId, version: post.version },
          campaignId: post.campaignId,
        });
      } catch (err) {
        throw aboutTarget(err, socialAccountId, account.connector);
      }
      rows.push(await this.insert(c, post, publication, time));
    }
    await refreshDelivery(c.db, postId);
    await this.announceScheduled(c, post, time, rows, false);
    return result(postId, time, rows);
  }

  /** Moves live targets (one, or all of the post's) to a new time. */
  async reschedule(c: ScheduleCaller, postId: string, input: ScheduleTimeInput, scheduleId?: string): Promise<ScheduleResult> {
    const publisher = publisherOf(c);
    const time = resolveScheduleTime(input, c.now);
    const post = await lockPost(c.db, postId);
    assertSchedulable(post.approvalStatus, (await c.settings()).requireApproval);
    const targets = await this.liveTargets(c, postId, scheduleId);
    const rows: ScheduleRow[] = [];
    for (const row of targets) {
      try {
        await publisher.reschedule(c.db, row.publication_id, time.dueAt, time.timeZone ?? undefined);
      } catch (err) {
        throw aboutTarget(err, row.social_account_id, row.connector);
      }
      const [moved] = (await c.db('content_post_schedules')
        .where({ id: row.id })
        .update({ due_at: time.dueAt, time_zone: time.timeZone, updated_at: c.db.fn.now() })
        .returning('*')) as ScheduleRow[];
      rows.push(moved!);
    }
    await this.announceScheduled(c, post, time, rows, true);
    return result(postId, time, rows);
  }

  /** Withdraws live targets (one, or all of the post's); what already has an outcome stays. */
  async unschedule(c: ScheduleCaller, postId: string, scheduleId?: string): Promise<ScheduleView[]> {
    const publisher = publisherOf(c);
    await lockPost(c.db, postId);
    const targets = scheduleId ? await this.liveTargets(c, postId, scheduleId) : await liveSchedules(c.db, postId);
    const rows: ScheduleRow[] = [];
    for (const row of targets) {
      try {
        await publisher.cancel(c.db, row.publication_id);
      } catch (err) {
        throw aboutTarget(err, row.social_account_id, row.connector);
      }
      const [cancelled] = (await c.db('content_post_schedules').where({ id: row.id }).update({ status: 'cancelled', updated_at: c.db.fn.now() }).returning('*')) as ScheduleRow[];
      rows.push(cancelled!);
    }
    if (rows.length) {
      await refreshDelivery(c.db, postId);
      await this.events.publish<PostUnscheduledData>(c.db, {
        type: POST_EVENTS.postUnscheduled,
        aggregateId: postId,
        subject: `posts/${postId}`,
        data: { postId, targets: rows.map((r) => ({ scheduleId: r.id, socialAccountId: r.social_account_id, publicationId: r.publication_id })) },
      });
    }
    return rows.map(scheduleView);
  }

  /** The one live schedule asked for, or every live one; a 409 when there is nothing to move. */
  private async liveTargets(c: ContentCaller, postId: string, scheduleId?: string): Promise<ScheduleRow[]> {
    if (scheduleId === undefined) {
      const live = await liveSchedules(c.db, postId);
      if (!live.length) throw problems.conflict('POST_NOT_SCHEDULED', 'the post has no scheduled target');
      return live;
    }
    const row = (await selectSchedules(c.db).where({ id: scheduleId, post_id: postId }).first()) as ScheduleRow | undefined;
    if (!row) throw problems.notFound('schedule');
    if (row.status !== 'scheduled') throw problems.conflict('SCHEDULE_NOT_LIVE', `this target is ${row.status}; only a scheduled one can change`, { targetStatus: row.status });
    return [row];
  }

  private async insert(c: ScheduleCaller, post: PostView, p: PublicationView, time: ScheduleTime): Promise<ScheduleRow> {
    const [row] = (await c.db('content_post_schedules')
      .insert({
        account_id: c.accountId,
        post_id: post.id,
        version: post.version,
        social_account_id: p.socialAccountId,
        connector: p.connector,
        publication_id: p.id,
        due_at: time.dueAt,
        time_zone: time.timeZone,
      })
      .returning('*')) as ScheduleRow[];
    return row!;
  }

  private async announceScheduled(c: ScheduleCaller, post: PostView, time: ScheduleTime, rows: ScheduleRow[], rescheduled: boolean): Promise<void> {
    await this.events.publish<PostScheduledData>(c.db, {
      type: POST_EVENTS.postScheduled,
      aggregateId: post.id,
      subject: `posts/${post.id}`,
      data: {
        postId: post.id,
        version: post.version,
        campaignId: post.campaignId,
        dueAt: time.dueAt.toISOString(),
        timeZone: time.timeZone,
        rescheduled,
        targets: rows.map((r) => ({ scheduleId: r.id, socialAccountId: r.social_account_id, publicationId: r.publication_id, connector: r.connector })),
      },
    });
  }
}

function result(postId: string, time: ScheduleTime, rows: ScheduleRow[]): ScheduleResult {
  return { postId, dueAt: time.dueAt.toISOString(), timeZone: time.timeZone, localTime: time.localTime, resolution: time.resolution, schedules: rows.map(scheduleView) };
}
