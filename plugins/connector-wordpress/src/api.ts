import type { ConnectorContext, HttpRequest, HttpResponse } from '@markettina/sdk';

export type WpStatus = 'publish' | 'future' | 'draft' | 'pending' | 'private' | 'trash';

/** The parts of the wp/v2 post (context=edit) the connector reads. */
export interface WpPost {
  id: number;
  /** UTC, without an offset: `2026-05-01T10:00:00`. */
  date_gmt: string | null;
  slug: string;
  status: WpStatus;
  link: string;
}

export interface WpTerm {
  id: number;
  /** As stored: HTML-escaped (`R&amp;D`). */
  name: string;
}

export interface WpUser {
  id: number;
  name: string;
  slug: string;
  link: string;
  /** With context=edit: what the user may do. */
  capabilities?: Record<string, boolean>;
}

export interface WpMedia {
  id: number;
  source_url: string;
}

/**
 * The REST root of the account's site. WordPress may live in a folder of its host, so the
 * path of the site URL is kept under the origin (which the host has checked).
 */
export function restRoot(ctx: ConnectorContext): string {
  const site = ctx.account.settings.site;
  const folder = site ? new URL(site).pathname.replace(/\/+$/, '') : '';
  return `${ctx.origin}${folder}/wp-json`;
}

/** HTTP Basic with the user name and an application password (WordPress 5.6+). */
export function basicAuth(fields: Readonly<Record<string, string>> | undefined): string {
  return `Basic ${Buffer.from(`${fields?.username ?? ''}:${fields?.applicationPassword ?? ''}`).toString('base64')}`;
}

/** A wp/v2 call as the connected user. `path` starts after /wp-json. */
export function call(ctx: ConnectorContext, req: Omit<HttpRequest, 'url'> & { path: string; query?: Record<string, string> }): Promise<HttpResponse> {
  const { path, query, headers, ...rest } = req;
  const url = new URL(`${restRoot(ctx)}${path}`);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
  return ctx.http.request({ ...rest, url, headers: { authorization: basicAuth(ctx.credentials.fields), ...headers } });
}

export const postPath = (id: string | number) => `/wp/v2/posts/${encodeURIComponent(String(id))}`;

/** GET a post as its editor sees it; undefined when the site no longer has it. */
export async function getPost(ctx: ConnectorContext, id: string | number): Promise<WpPost | undefined> {
  const res = await call(ctx, { method: 'GET', path: postPath(id), query: { context: 'edit' }, accept: [404] });
  return res.status === 404 ? undefined : res.json<WpPost>();
}
