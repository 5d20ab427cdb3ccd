import Fastify from 'fastify';
import pg from 'pg';

/**
 * The baseline: a hand-written fastify + pg route doing the same work as the kernel's
 * notes list (one RLS transaction: set the tenant, read a page, commit) and nothing else.
 */
export async function startBareServer(appUrl: string, accountId: string): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: appUrl, max: 10 });
  const app = Fastify();
  app.get('/notes', async () => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query("select set_config('app.current_account_id', $1, true)", [accountId]);
      const { rows } = await client.query('select id, title, body, created_at from notes order by created_at desc, id desc limit 51');
      await client.query('commit');
      return { items: rows.slice(0, 50).map((r) => ({ id: r.id, title: r.title, body: r.body, createdAt: r.created_at.toISOString() })), nextCursor: null };
    } catch (err) {
      await client.query('rollback');
      throw err;
    } finally {
      client.release();
    }
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${url}/notes`, close: async () => { await app.close(); await pool.end(); } };
}
