import type { Knex } from 'knex';
import { problems } from './errors.js';
import { decodeCursor, encodeCursor } from './schema.js';

/** One page of a cursor-paginated list, as `pageOf(item)` describes it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

const TIMESTAMP = /^[1-9]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A timestamp as PostgreSQL prints it, naming a day that exists (PostgreSQL rejects Feb 30 with an error). */
function validTimestamp(text: string): boolean {
  if (!TIMESTAMP.test(text)) return false;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}

/**
 * Newest first by `(created_at, id)` of a table with those two columns; the cursor is the
 * last row's key. The timestamp is selected as text so that the cursor keeps PostgreSQL's
 * microseconds (a JavaScript Date would round them to milliseconds and skip or repeat rows).
 * A cursor this function did not issue is a 400 `INVALID_CURSOR`, never a database error.
 * `alias` qualifies the columns when the query joins tables.
 */
export async function newestFirst<R extends { id: string }, T>(query: Knex.QueryBuilder, page: PageRequest, map: (row: R) => T, alias = ''): Promise<Page<T>> {
  const col = (name: string) => (alias ? `${alias}.${name}` : name);
  let q = query
    .select(query.client.raw('??::text as cursor_at', [col('created_at')]))
    .orderBy([
      { column: col('created_at'), order: 'desc' },
      { column: col('id'), order: 'desc' },
    ])
    .limit(page.limit + 1);
  if (page.cursor) {
    const key = decodeCursor(page.cursor, 2);
    if (!key || typeof key[0] !== 'string' || typeof key[1] !== 'string' || !validTimestamp(key[0]) || !UUID.test(key[1])) {
      throw problems.badRequest('INVALID_CURSOR', 'cursor is not one this API issued');
    }
    q = q.whereRaw('(??, ??) < (?::timestamptz, ?::uuid)', [col('created_at'), col('id'), key[0], key[1]]);
  }
  const rows = (await q) as (R & { cursor_at: string })[];
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  return { items: shown.map(map), nextCursor: rows.length > page.limit && last ? encodeCursor([last.cursor_at, last.id]) : null };
}
