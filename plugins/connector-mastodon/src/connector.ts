import { ContentRejected, defineConnector, CONNECTOR_CONTRACT_VERSION, type PostComment } from '@markettina/sdk';
import { adapt, type MastodonPost } from './adapt.js';
import { call, getStatus, statusPath, type MastodonAccount, type MastodonApp, type MastodonStatus } from './api.js';
import { capabilities } from './capabilities.js';
import { htmlToText } from './html.js';
import { checkStatus, publish, reply } from './publish.js';

export const mastodonConnector = defineConnector<MastodonPost>({
  contractVersion: CONNECTOR_CONTRACT_VERSION,
  id: 'mastodon',
  name: 'Mastodon',
  version: '0.1.0',
  setup: {
    schema: {
      type: 'object',
      properties: { instance: { type: 'string', format: 'uri', maxLength: 255, description: 'The Mastodon server, e.g. https://mastodon.social' } },
      required: ['instance'],
      additionalProperties: false,
    },
    originField: 'instance',
  },
  auth: {
    kind: 'oauth2',
    authorizeUrl: '{origin}/oauth/authorize',
    tokenUrl: '{origin}/oauth/token',
    scopes: ['read:accounts', 'read:statuses', 'write:statuses', 'write:media'],
    // PKCE (S256) since Mastodon 4.3; older servers ignore the extra parameters.
    pkce: true,
    // Every instance is its own authorization server: one app per instance, registered on first use.
    client: 'dynamic',
    // Mastodon access tokens do not expire.
    refresh: false,
  },
  capabilities,
  errors: {
    // Mastodon's X-RateLimit-Reset is an ISO 8601 timestamp.
    rateLimitResetMs(headers, now) {
      const at = Date.parse(headers['x-ratelimit-reset'] ?? '');
      return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
    },
  },
  adapt,

  async registerClient(ctx, req) {
    const res = await call(ctx, { method: 'POST', path: '/api/v1/apps', form: { client_name: 'Markettina', redirect_uris: req.redirectUri, scopes: req.scopes.join(' ') } });
    const app = res.json<MastodonApp>();
    return { clientId: app.client_id, clientSecret: app.client_secret };
  },

  async identify(ctx) {
    const a = (await call(ctx, { method: 'GET', path: '/api/v1/accounts/verify_credentials' })).json<MastodonAccount>();
    const host = new URL(ctx.origin).host;
    return { externalId: `${a.id}@${host}`, displayName: a.display_name || a.username, handle: `@${a.username}@${host}`, profileUrl: a.url };
  },

  publish,
  checkStatus,
  reply,

  async delete(ctx, externalId) {
    // Already gone counts as deleted.
    await call(ctx, { method: 'DELETE', path: statusPath(externalId), budget: 'delete', accept: [404] });
  },

  async fetchMetrics(ctx, externalId) {
    const s = await getStatus(ctx, externalId);
    if (!s) throw new ContentRejected('the status no longer exists', 404);
    return { comments: s.replies_count, shares: s.reblogs_count, likes: s.favourites_count };
  },

  async fetchComments(ctx, externalId) {
    const res = await call(ctx, { method: 'GET', path: `${statusPath(externalId)}/context` });
    const { descendants } = res.json<{ descendants: MastodonStatus[] }>();
    const comments: PostComment[] = descendants.map((s) => ({
      externalId: s.id,
      authorHandle: s.account.acct,
      text: htmlToText(s.content),
      createdAt: s.created_at,
      inReplyTo: s.in_reply_to_id ?? externalId,
    }));
    return { comments };
  },
});
