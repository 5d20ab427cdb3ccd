import { ContentRejected, decodeEntities, ReconnectRequired, type ConnectorError, type HttpResponse } from '@markettina/sdk';

/** WordPress's error body: `{ code, message, data: { status, params?, term_id? } }`. */
export interface WpError {
  code: string;
  message: string;
  data?: { status?: number; params?: Record<string, string>; term_id?: number };
}

export function wpError(res: HttpResponse): WpError | undefined {
  try {
    const body = JSON.parse(res.text()) as Partial<WpError>;
    return typeof body?.code === 'string' && typeof body.message === 'string' ? (body as WpError) : undefined;
  } catch {
    return undefined;
  }
}

/** WordPress's words for a refusal: its message (which may hold HTML) and what it said of each invalid parameter. */
export function reason(res: HttpResponse): string | undefined {
  const err = wpError(res);
  if (!err) return undefined;
  const plain = (s: string) => decodeEntities(s.replace(/<[^>]*>/g, '')).trim();
  const params = Object.values(err.data?.params ?? {}).map(plain);
  return `${plain(err.message)}${params.length ? ` (${params.join('; ')})` : ''} [${err.code}]`;
}

/**
 * What a refused create means. The user's role lacking the right to write posts or upload
 * media (`rest_cannot_create`, `rest_cannot_publish`) is no fault of the content: only
 * connecting a user who may do it helps. Anything else refused is about this content.
 */
export function refusal(res: HttpResponse, target: 'post' | 'media' | 'term'): ConnectorError {
  const err = wpError(res);
  const why = reason(res) ?? `HTTP ${res.status}`;
  if (target !== 'term' && (err?.code === 'rest_cannot_create' || err?.code === 'rest_cannot_publish')) {
    return new ReconnectRequired(`this WordPress user may not ${target === 'post' ? 'publish posts' : 'upload media'}; connect a user with the Author role or higher: ${why}`, res.status);
  }
  return new ContentRejected(why, res.status);
}
