import type { ConnectorContext, HttpRequest, HttpResponse } from '@markettina/sdk';

/** The parts of Mastodon's Status entity the connector reads. */
export interface MastodonStatus {
  id: string;
  url: string | null;
  uri: string;
  created_at: string;
  in_reply_to_id: string | null;
  content: string;
  replies_count: number;
  reblogs_count: number;
  favourites_count: number;
  account: { acct: string };
}

export interface MastodonMedia {
  id: string;
  url: string | null;
}

export interface MastodonAccount {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  url: string;
}

export interface MastodonApp {
  client_id: string;
  client_secret: string;
}

/** A call to the account's instance with its bearer token. */
export function call(ctx: ConnectorContext, req: Omit<HttpRequest, 'url'> & { path: string }): Promise<HttpResponse> {
  const { path, headers, ...rest } = req;
  const token = ctx.credentials.accessToken;
  return ctx.http.request({
    ...rest,
    url: `${ctx.origin}${path}`,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
}

export const statusPath = (id: string) => `/api/v1/statuses/${encodeURIComponent(id)}`;

/** GET a status; undefined when the instance no longer has it. */
export async function getStatus(ctx: ConnectorContext, id: string): Promise<MastodonStatus | undefined> {
  const res = await call(ctx, { method: 'GET', path: statusPath(id), accept: [404] });
  return res.status === 404 ? undefined : res.json<MastodonStatus>();
}
