import { ReconnectRequired, type ConnectorContext, type HttpRequest, type HttpResponse } from '@markettina/sdk';
import { adminToken, parseAdminKey } from './token.js';

/** The Admin API version the connector is written for: Ghost 5. */
export const ACCEPT_VERSION = 'v5.0';

export type GhostStatus = 'draft' | 'published' | 'scheduled' | 'sent';

/** The parts of Ghost's post resource the connector reads. */
export interface GhostPostResource {
  id: string;
  slug: string;
  status: GhostStatus;
  url: string;
  published_at: string | null;
  count?: { clicks?: number };
}

export interface GhostSite {
  title: string;
  url: string;
}

/**
 * The Admin API root of the account's site. Ghost may live in a folder of its host, so the
 * path of the API URL is kept under the origin (which the host has checked).
 */
export function adminRoot(ctx: ConnectorContext): string {
  const api = ctx.account.settings.apiUrl;
  const folder = api ? new URL(api).pathname.replace(/\/+$/, '') : '';
  return `${ctx.origin}${folder}/ghost/api/admin`;
}

/** An Admin API call, with a token signed just now from `adminApiKey` (by default the account's). */
export function call(ctx: ConnectorContext, req: Omit<HttpRequest, 'url'> & { path: string; query?: Record<string, string>; adminApiKey?: string }): Promise<HttpResponse> {
  const { path, query, headers, adminApiKey, ...rest } = req;
  const key = parseAdminKey(adminApiKey ?? ctx.credentials.fields?.adminApiKey);
  if (!key) throw new ReconnectRequired('the Ghost Admin API key is missing or malformed; connect the site again');
  const url = new URL(`${adminRoot(ctx)}${path}`);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  return ctx.http.request({ ...rest, url, headers: { authorization: `Ghost ${adminToken(key, ctx.now())}`, 'accept-version': ACCEPT_VERSION, ...headers } });
}

export const postPath = (id: string) => `/posts/${encodeURIComponent(id)}/`;

/** GET a post; undefined when the site no longer has it. */
export async function getPost(ctx: ConnectorContext, id: string, query: Record<string, string> = {}): Promise<GhostPostResource | undefined> {
  const res = await call(ctx, { method: 'GET', path: postPath(id), query, accept: [404] });
  return res.status === 404 ? undefined : res.json<{ posts: GhostPostResource[] }>().posts[0];
}
