import { CONNECTOR_CONTRACT_VERSION, ReconnectRequired, defineConnector, definePlugin, isConnectorError, type ConnectorCapabilities, type ConnectorContext, type PluginDefinition, type PostDraft, type PublishResult } from '@markettina/sdk';
import { socialConnectors } from '../contracts.js';

export interface ScriptedConnectorOptions {
  /** The fake's origin (`ScriptedPlatform.origin`). */
  origin: string;
  /** Connector id; default `scripted`. Its plugin is `connector-<id>`. */
  id?: string;
  /** `platform` (default): the connector sends `Idempotency-Key` and the fake dedupes on it. */
  publishIdempotency?: 'platform' | 'none';
  /** The declared per-account budget for publish calls, metered by the kernel's limiter. */
  rateLimit?: { limit: number; windowSeconds: number; burst?: number };
}

interface Adapted {
  text: string;
  thread: string[];
  media: { mimeType: string; data: string }[];
}

interface PostBody {
  id: string;
  url: string;
  status: 'processing' | 'published' | 'failed';
  retryAfterMs?: number;
  error?: string;
}

const bearer = (ctx: ConnectorContext) => ({ authorization: `Bearer ${ctx.credentials.accessToken ?? ''}` });

function statusOf(p: PostBody): PublishResult {
  if (p.status === 'processing') return { status: 'pending', pending: p.id, retryAfterMs: p.retryAfterMs ?? 1_000 };
  if (p.status === 'failed') return { status: 'failed', code: 'PROCESSING_FAILED', reason: p.error ?? 'the platform could not process the post' };
  return { status: 'published', externalId: p.id, url: p.url, parts: [{ externalId: p.id, url: p.url }] };
}

function capabilities(o: ScriptedConnectorOptions): ConnectorCapabilities {
  return {
    text: { maxLength: 280, unit: 'graphemes', required: false },
    media: { maxItems: 4, types: ['image/png', 'image/jpeg'], maxBytes: 5_000_000 },
    threads: { maxPosts: 5 },
    firstComment: false,
    delete: true,
    edit: false,
    metrics: ['views', 'likes', 'comments', 'shares'],
    comments: false,
    channels: false,
    publishIdempotency: o.publishIdempotency ?? 'platform',
    rateLimits: o.rateLimit ? [{ name: 'posts', ...o.rateLimit, appliesTo: ['posts'] }] : [],
  };
}

/** A connector for the scripted fake platform: API-key sign-in with refreshable sessions. */
export function scriptedConnector(o: ScriptedConnectorOptions) {
  const dedupe = (o.publishIdempotency ?? 'platform') === 'platform';
  return defineConnector<Adapted>({
    contractVersion: CONNECTOR_CONTRACT_VERSION,
    id: o.id ?? 'scripted',
    name: 'Scripted',
    version: '1.0.0',
    defaultOrigin: o.origin,
    auth: { kind: 'credentials', fields: { type: 'object', properties: { apiKey: { type: 'string', minLength: 1 } }, required: ['apiKey'], additionalProperties: false }, refresh: true },
    capabilities: capabilities(o),
    adapt: (d: PostDraft) => ({
      text: d.text,
      thread: (d.thread ?? []).map((p) => p.text),
      media: (d.media ?? []).map((m) => ({ mimeType: m.mimeType, data: Buffer.from(m.data ?? new Uint8Array()).toString('base64') })),
    }),
    async signIn(ctx, fields) {
      const s = (await ctx.http.request({ method: 'POST', url: `${ctx.origin}/session`, json: { apiKey: fields.apiKey } })).json<{ accessToken: string; refreshToken: string }>();
      return { accessToken: s.accessToken, extra: { refreshToken: s.refreshToken } };
    },
    async refreshCredentials(ctx) {
      try {
        const res = await ctx.http.request({ method: 'POST', url: `${ctx.origin}/session/refresh`, json: { refreshToken: ctx.credentials.extra?.refreshToken } });
        const s = res.json<{ accessToken: string; refreshToken: string }>();
        return { accessToken: s.accessToken, extra: { refreshToken: s.refreshToken } };
      } catch (err) {
        if (isConnectorError(err) && err.kind === 'content_rejected') throw new ReconnectRequired('the platform refused the refresh token', err.status);
        throw err;
      }
    },
    async identify(ctx) {
      const me = (await ctx.http.request({ method: 'GET', url: `${ctx.origin}/me`, headers: bearer(ctx) })).json<{ id: string; name: string }>();
      return { externalId: me.id, displayName: me.name, handle: me.id };
    },
    async publish(ctx, req) {
      const headers = { ...bearer(ctx), 'x-publisher-ref': req.idempotencyKey, ...(dedupe ? { 'idempotency-key': req.idempotencyKey } : {}) };
      const res = await ctx.http.request({ method: 'POST', url: `${ctx.origin}/posts`, headers, json: req.post, budget: 'posts' });
      return statusOf(res.json<PostBody>());
    },
    async checkStatus(ctx, q) {
      const id = 'externalId' in q ? q.externalId : q.pending;
      const res = await ctx.http.request({ method: 'GET', url: `${ctx.origin}/posts/${encodeURIComponent(id)}`, headers: bearer(ctx), accept: [404] });
      return res.status === 404 ? { status: 'deleted' as const, externalId: id } : statusOf(res.json<PostBody>());
    },
    async delete(ctx, externalId) {
      await ctx.http.request({ method: 'DELETE', url: `${ctx.origin}/posts/${encodeURIComponent(externalId)}`, headers: bearer(ctx), accept: [404] });
    },
    async fetchMetrics(ctx, externalId) {
      return (await ctx.http.request({ method: 'GET', url: `${ctx.origin}/posts/${encodeURIComponent(externalId)}`, headers: bearer(ctx) })).json<{ metrics: Record<string, number> }>().metrics;
    },
  });
}

/** The plugin that installs a scripted connector (`connector-<id>`). */
export function scriptedConnectorPlugin(o: ScriptedConnectorOptions): PluginDefinition {
  const connector = scriptedConnector(o);
  return definePlugin({
    manifest: { id: `connector-${connector.id}`, version: '1.0.0', kernel: '^1.0.0', description: 'A scripted test platform' },
    register(reg) {
      reg.extend(socialConnectors, connector);
    },
  });
}
