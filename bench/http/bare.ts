import Fastify from 'fastify';
import pg from 'pg';
import { encodeCursor, pageOf, pageQuery, timestamp, uuid } from '@markettina/sdk';

/**
 * The baseline: a hand-written fastify + pg route doing the same database work as the
 * kernel's notes list, statement for statement and in the same wire protocol (BEGIN and
 * the tenant entry in one round trip, the page query with a bound limit, COMMIT), with the
 * same query and response schemas. What it leaves out is the kernel's own work:
 * authentication, permission and policy checks, request ids, metrics, the plugin's service
 * scope and the query builder.
 */
const note = {
  type: 'object',
  properties: { id: uuid, title: { type: 'string' }, body: { type: 'string' }, createdAt: timestamp },
  required: ['id', 'title', 'body', 'createdAt'],
} as const;
const schema = { querystring: { type: 'object', properties: pageQuery, additionalProperties: false }, response: { 200: pageOf(note) } };

// The statements the kernel sends for GET /v1/notes/notes (knex compiles the page query to this text).
const enter = (accountId: string) => `BEGIN; select * from kernel_enter_tenant(${pg.escapeLiteral(accountId)}, 'notes')`;
const PAGE = 'select * from "notes" order by "created_at" desc, "id" desc limit $1';

interface NoteRow {
  id: string;
  title: string;
  body: string;
  created_at: Date;
}

export async function startBareServer(appUrl: string, accountId: string, poolSize: number): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: appUrl, max: poolSize });
  const app = Fastify();
  app.get('/notes', { schema }, async (req) => {
    const { limit } = req.query as { limit: number };
    const client = await pool.connect();
    try {
      const opened = (await client.query(enter(accountId))) as unknown as pg.QueryResult<{ status: string; plugin_enabled: boolean }>[];
      const entry = opened[1]!.rows;
      if (entry[0]?.status !== 'active' || !entry[0].plugin_enabled) throw Object.assign(new Error('not enabled'), { statusCode: 404 });
      const { rows } = await client.query<NoteRow>(PAGE, [limit + 1]);
      await client.query('COMMIT');
      const items = rows.slice(0, limit).map((r) => ({ id: r.id, title: r.title, body: r.body, createdAt: r.created_at.toISOString() }));
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt, last.id]) : null };
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${url}/notes`, close: async () => { await app.close(); await pool.end(); } };
}
