import type { Knex } from 'knex';
import { formatLocalDateTime, toLocalDateTime } from '@markettina/sdk';
import { calendarRange, groupByDay, type CalendarDay } from '../domain/calendar.js';
import type { TargetStatus } from '../domain/schedule-status.js';

export interface CalendarItem {
  scheduleId: string;
  postId: string;
  /** The scheduled version's title and the start of its text. */
  title: string;
  excerpt: string;
  socialAccountId: string;
  platform: string;
  status: Exclude<TargetStatus, 'cancelled'>;
  /** When it went live, or when it is due. */
  at: string;
  /** `at` on the caller's wall clock. */
  localTime: string;
  campaignId: string | null;
  url: string | null;
}

export interface Calendar {
  from: string;
  to: string;
  timeZone: string;
  days: CalendarDay<CalendarItem>[];
  /** True when the window holds more than MAX_CALENDAR_ITEMS items; narrow it to see them all. */
  truncated: boolean;
}

export interface CalendarQuery {
  from: string;
  to: string;
  timeZone: string;
  campaignId?: string;
  platform?: string;
}

export const MAX_CALENDAR_ITEMS = 2000;
const EXCERPT = 140;

interface Row {
  id: string;
  post_id: string;
  title: string | null;
  excerpt: string | null;
  social_account_id: string;
  connector: string;
  status: CalendarItem['status'];
  calendar_at: Date;
  campaign_id: string | null;
  url: string | null;
}

/** Scheduled and published targets in `[from, to)`, grouped by day in the caller's zone. */
export async function calendar(db: Knex.Transaction, query: CalendarQuery): Promise<Calendar> {
  const range = calendarRange(query.from, query.to, query.timeZone);
  let q = db({ s: 'content_post_schedules' })
    .join({ p: 'content_posts' }, 'p.id', 's.post_id')
    .join({ v: 'content_post_versions' }, function () {
      this.on('v.post_id', 's.post_id').andOn('v.version', 's.version');
    })
    .select(
      's.id',
      's.post_id',
      db.raw(`v.content->>'title' as title`),
      db.raw(`left(v.content->>'text', ${EXCERPT}) as excerpt`),
      's.social_account_id',
      's.connector',
      's.status',
      's.calendar_at',
      'p.campaign_id',
      's.url',
    )
    .whereNot('s.status', 'cancelled')
    .where('s.calendar_at', '>=', range.from)
    .where('s.calendar_at', '<', range.to)
    .orderBy([{ column: 's.calendar_at' }, { column: 's.created_at' }, { column: 's.id' }])
    .limit(MAX_CALENDAR_ITEMS + 1);
  if (query.campaignId) q = q.where('p.campaign_id', query.campaignId);
  if (query.platform) q = q.where('s.connector', query.platform);
  const rows = (await q) as Row[];
  const items = rows.slice(0, MAX_CALENDAR_ITEMS).map(
    (r): CalendarItem => ({
      scheduleId: r.id,
      postId: r.post_id,
      title: r.title ?? '',
      excerpt: r.excerpt ?? '',
      socialAccountId: r.social_account_id,
      platform: r.connector,
      status: r.status,
      at: r.calendar_at.toISOString(),
      localTime: formatLocalDateTime(toLocalDateTime(r.calendar_at, range.timeZone)),
      campaignId: r.campaign_id,
      url: r.url,
    }),
  );
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    timeZone: range.timeZone,
    days: groupByDay(items, range.timeZone),
    truncated: rows.length > MAX_CALENDAR_ITEMS,
  };
}
