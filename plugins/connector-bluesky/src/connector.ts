import { ContentRejected, defineConnector, CONNECTOR_CONTRACT_VERSION, Transient, type PostComment } from '@markettina/sdk';
import { adapt, type BlueskyPost } from './adapt.js';
import { getPostRecord, xrpc, xrpcError, type PostView, type ThreadView } from './api.js';
import { capabilities } from './capabilities.js';
import { checkStatus, postAddress, publish, reply, repoOf } from './publish.js';
import { identify, refreshSession, signIn } from './session.js';
import { textByteViolations } from './text.js';

export const DEFAULT_PDS = 'https://bsky.social';

export const blueskyConnector = defineConnector<BlueskyPost>({
  contractVersion: CONNECTOR_CONTRACT_VERSION,
  id: 'bluesky',
  name: 'Bluesky',
  version: '0.1.0',
  defaultOrigin: DEFAULT_PDS,
  setup: {
    schema: {
      type: 'object',
      properties: {
        pds: { type: 'string', format: 'uri', maxLength: 255, description: 'The account\u2019s PDS, if not https://bsky.social' },
        languages: { type: 'string', pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*(, ?[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*){0,2}$', description: 'Languages posts are written in, at most three, e.g. "en" or "en, pt-BR"' },
      },
      additionalProperties: false,
    },
    originField: 'pds',
  },
  auth: {
    kind: 'credentials',
    fields: {
      type: 'object',
      properties: {
        identifier: { type: 'string', minLength: 3, maxLength: 253, description: 'Handle (e.g. alice.bsky.social), DID or email of the account' },
        // An app password, never the account password: it can be revoked on its own and skips email codes.
        appPassword: { type: 'string', pattern: '^[a-zA-Z0-9]{4}(-[a-zA-Z0-9]{4}){3}$', description: 'An app password (Settings \u2192 Privacy and security \u2192 App passwords)' },
      },
      required: ['identifier', 'appPassword'],
      additionalProperties: false,
    },
    // Access tokens last about two hours; refresh tokens rotate.
    refresh: true,
  },
  capabilities,
  errors: {
    // RateLimit-Reset is the epoch second at which the window resets.
    rateLimitResetMs(headers, now) {
      const at = Number(headers['ratelimit-reset']);
      return Number.isFinite(at) && at > 0 ? Math.max(0, at * 1000 - now.getTime()) : undefined;
    },
    reason: (res) => {
      const e = xrpcError(res);
      return e.message || e.error;
    },
  },
  validate: textByteViolations,
  adapt,

  signIn,
  refreshCredentials: refreshSession,
  identify,

  publish,
  checkStatus,
  reply,

  async delete(ctx, externalId) {
    const a = postAddress(externalId);
    // Deleting a record of another repo is refused as unauthorised, which would read as expired credentials.
    if (a.repo !== repoOf(ctx)) throw new ContentRejected('the post belongs to another account');
    // A record already gone is a no-op for the PDS.
    await xrpc(ctx, { method: 'POST', nsid: 'com.atproto.repo.deleteRecord', budget: 'write', json: a });
  },

  async fetchMetrics(ctx, externalId) {
    const a = postAddress(externalId);
    const res = await xrpc(ctx, { method: 'GET', nsid: 'app.bsky.feed.getPosts', params: { uris: [externalId] } });
    const post = res.json<{ posts: PostView[] }>().posts.find((p) => p.uri === externalId);
    if (!post) {
      // The AppView indexes posts shortly after they are written.
      if (await getPostRecord(ctx, a)) throw new Transient('Bluesky has not indexed the post yet');
      throw new ContentRejected('the post no longer exists', 404);
    }
    // Quotes share the post with the quoting account's followers, as reposts do.
    return { likes: post.likeCount ?? 0, shares: (post.repostCount ?? 0) + (post.quoteCount ?? 0), comments: post.replyCount ?? 0 };
  },

  async fetchComments(ctx, externalId) {
    postAddress(externalId);
    const res = await xrpc(ctx, { method: 'GET', nsid: 'app.bsky.feed.getPostThread', params: { uri: externalId, depth: '10', parentHeight: '0' }, expect: ['NotFound'] });
    if (res.status !== 200) throw new ContentRejected('the post no longer exists', 404);
    const comments: PostComment[] = [];
    const walk = (node: ThreadView, parent: string) => {
      for (const r of node.replies ?? []) {
        if (!r.post) continue; // deleted or blocked
        comments.push({ externalId: r.post.uri, authorHandle: r.post.author.handle, text: r.post.record.text ?? '', createdAt: r.post.record.createdAt ?? '', inReplyTo: parent });
        walk(r, r.post.uri);
      }
    };
    walk(res.json<{ thread: ThreadView }>().thread, externalId);
    return { comments };
  },
});
