/**
 * A fake Mastodon instance, written from the public API documentation (docs.joinmastodon.org:
 * methods/apps, methods/oauth, methods/accounts, methods/statuses, methods/media, api/rate-limits).
 * It keeps the documented endpoints, payload shapes, status codes and error bodies
 * (`{ "error": "..." }`), the X-RateLimit-* headers on every answer, Idempotency-Key on
 * POST /api/v1/statuses, PKCE on the token endpoint, and the 500-character rule (grapheme
 * clusters, every URL counted as 23, a remote mention counted by its local part).
 */
import { createHash, randomBytes } from 'node:crypto';
import { startFakePlatform, type AnsweredFault, type FakeRequest, type FakeResponse, type PlatformFake } from '@markettina/sdk/testing';

const MAX_CHARS = 500;
const URL_WEIGHT = 23;
const MAX_MEDIA = 4;
const RATE_LIMIT = 300;
const RATE_WINDOW_MS = 5 * 60_000;

interface App { id: string; name: string; clientId: string; clientSecret: string; redirectUris: string[]; scopes: string[] }
interface Grant { clientId: string; redirectUri: string; scopes: string[]; challenge: string | null; used: boolean }
interface Token { accountId: string; scopes: string[]; clientId: string; revoked: boolean }
interface Media { id: string; type: string; description: string | null; pollsUntilReady: number; attachedTo: string | null }
interface Status {
  id: string;
  accountId: string;
  text: string;
  createdAt: string;
  inReplyToId: string | null;
  mediaIds: string[];
  visibility: string;
  counts: { replies: number; reblogs: number; favourites: number };
}

export interface FakeMastodon extends PlatformFake {
  /** The one user of this instance who approves every authorization request. */
  readonly user: { id: string; username: string };
  readonly statuses: ReadonlyMap<string, Status>;
  /** Number of GET /api/v1/media/:id polls answered 206 before new uploads are ready; 0 = processed synchronously (200). */
  mediaPolls: number;
  /** Sets the engagement counts other users produced. */
  setCounts(statusId: string, counts: Partial<Status['counts']>): void;
  /** Revokes every token issued so far (the user removed the app). */
  revokeAll(): void;
}

const sha256url = (s: string) => createHash('sha256').update(s).digest('base64url');
const token = () => randomBytes(32).toString('base64url');
const err = (status: number, error: string, extra: Record<string, unknown> = {}): FakeResponse => ({ status, json: { error, ...extra } });

/** Mastodon's StatusLengthValidator: graphemes, URLs as 23, `@user@domain` as `@user`. */
export function mastodonLength(text: string): number {
  const rewritten = text
    .replace(/https?:\/\/[^\s<>"]+/giu, 'x'.repeat(URL_WEIGHT))
    .replace(/@([a-z0-9_]+)@[a-z0-9.-]+\.[a-z]{2,}/giu, '@$1');
  return [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(rewritten)].length;
}

/** `write` covers `write:statuses` and so on (Mastodon's scope hierarchy). */
const allows = (granted: string[], needed: string) => granted.includes(needed) || granted.includes(needed.split(':')[0]!);

async function params(req: FakeRequest): Promise<Record<string, string | string[]>> {
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) return req.json<Record<string, string | string[]>>() ?? {};
  if (req.body.length === 0) return Object.fromEntries(req.query);
  const form = await req.form();
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of form) {
    if (typeof v !== 'string') continue;
    const key = k.replace(/\[\]$/, '');
    out[key] = k.endsWith('[]') ? [...((out[key] as string[] | undefined) ?? []), v] : v;
  }
  return out;
}

export async function startFakeMastodon(): Promise<FakeMastodon> {
  const apps = new Map<string, App>();
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, Token>();
  const media = new Map<string, Media>();
  const statuses = new Map<string, Status>();
  const idempotency = new Map<string, string>();
  const windows = new Map<string, { start: number; used: number }>();
  const user = { id: '109348000000000001', username: 'markettina_test' };
  let nextId = 110000000000000000n;
  const id = () => String(++nextId);
  let origin = '';
  const state = { mediaPolls: 0 };

  const account = () => ({
    id: user.id,
    username: user.username,
    acct: user.username,
    display_name: 'Markettina Test',
    locked: false,
    bot: false,
    created_at: '2024-01-01T00:00:00.000Z',
    note: '',
    url: `${origin}/@${user.username}`,
    avatar: `${origin}/avatars/original/missing.png`,
    header: `${origin}/headers/original/missing.png`,
    followers_count: 0,
    following_count: 0,
    statuses_count: [...statuses.values()].filter((s) => s.accountId === user.id).length,
  });

  const mediaJson = (m: Media) => {
    const ready = m.pollsUntilReady <= 0;
    return { id: m.id, type: m.type, url: ready ? `${origin}/system/media_attachments/${m.id}/original` : null, preview_url: `${origin}/system/media_attachments/${m.id}/small`, remote_url: null, description: m.description, blurhash: null, meta: {} };
  };

  const statusJson = (s: Status, withSource = false) => ({
    id: s.id,
    created_at: s.createdAt,
    in_reply_to_id: s.inReplyToId,
    in_reply_to_account_id: s.inReplyToId ? statuses.get(s.inReplyToId)?.accountId ?? null : null,
    sensitive: false,
    spoiler_text: '',
    visibility: s.visibility,
    language: 'en',
    uri: `${origin}/users/${user.username}/statuses/${s.id}`,
    url: `${origin}/@${user.username}/${s.id}`,
    replies_count: s.counts.replies,
    reblogs_count: s.counts.reblogs,
    favourites_count: s.counts.favourites,
    edited_at: null,
    content: `<p>${s.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br />')}</p>`,
    reblog: null,
    account: account(),
    media_attachments: s.mediaIds.map((m) => mediaJson(media.get(m)!)),
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    poll: null,
    ...(withSource ? { text: s.text } : {}),
  });

  /** Resolves the bearer token: the token, or the 401/403 answer to send. */
  function authorize(req: FakeRequest, scope: string): Token | FakeResponse {
    const t = req.bearer ? tokens.get(req.bearer) : undefined;
    if (!t || t.revoked) return err(401, 'The access token is invalid');
    if (!allows(t.scopes, scope)) return err(403, 'This action is outside the authorized scopes');
    return t;
  }
  const isAnswer = (x: Token | FakeResponse): x is FakeResponse => 'status' in x;

  const fake = await startFakePlatform({
    renderFault(fault: AnsweredFault, now: Date): FakeResponse {
      switch (fault.kind) {
        case 'unauthorized':
          return err(401, 'The access token is invalid');
        case 'rate-limited':
          return { status: 429, headers: { 'x-ratelimit-limit': String(RATE_LIMIT), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': new Date(now.getTime() + fault.resetInSeconds * 1000).toISOString() }, json: { error: 'Too many requests' } };
        case 'server-error':
          return err(500, 'We\u2019re sorry, but something went wrong on our end.');
      }
    },
    // Every answer carries the per-token (or per-IP) window, as Mastodon's rack-attack does.
    decorate(req, res) {
      const key = req.bearer ?? 'anonymous';
      const now = Date.now();
      let w = windows.get(key);
      if (!w || now - w.start >= RATE_WINDOW_MS) windows.set(key, (w = { start: now, used: 0 }));
      w.used++;
      const headers = { 'x-ratelimit-limit': String(RATE_LIMIT), 'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - w.used)), 'x-ratelimit-reset': new Date(w.start + RATE_WINDOW_MS).toISOString() };
      if (w.used > RATE_LIMIT) return { status: 429, headers: { ...headers, ...res.headers }, json: { error: 'Too many requests' } };
      return { ...res, headers: { ...headers, ...res.headers } };
    },
    routes: [
      {
        method: 'POST',
        path: '/api/v1/apps',
        async handler(req) {
          const p = await params(req);
          if (!p.client_name) return err(422, "Validation failed: Application name can't be blank");
          const uris = [p.redirect_uris ?? []].flat().flatMap((u) => u.split(/\s+/)).filter(Boolean);
          if (uris.length === 0 || uris.some((u) => !/^[a-z][a-z0-9+.-]*:/i.test(u))) return err(422, 'Validation failed: Redirect URI must be an absolute URI.');
          const scopes = String(p.scopes ?? 'read').split(/\s+/).filter(Boolean);
          const app: App = { id: id(), name: String(p.client_name), clientId: token(), clientSecret: token(), redirectUris: uris, scopes };
          apps.set(app.clientId, app);
          return { status: 200, json: { id: app.id, name: app.name, website: p.website ?? null, scopes, redirect_uri: uris.join('\n'), redirect_uris: uris, vapid_key: 'BCk-fake', client_id: app.clientId, client_secret: app.clientSecret, client_secret_expires_at: 0 } };
        },
      },
      {
        method: 'GET',
        path: '/oauth/authorize',
        handler(req) {
          const q = req.query;
          const app = apps.get(q.get('client_id') ?? '');
          const redirectUri = q.get('redirect_uri') ?? '';
          if (!app || q.get('response_type') !== 'code' || !app.redirectUris.includes(redirectUri)) {
            return err(400, 'invalid_request', { error_description: 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.' });
          }
          const scopes = (q.get('scope') ?? 'read').split(/[\s+]+/).filter(Boolean);
          if (!scopes.every((s) => app.scopes.some((a) => a === s || s.startsWith(`${a}:`)))) return err(400, 'invalid_scope', { error_description: 'The requested scope is invalid, unknown, or malformed.' });
          const challenge = q.get('code_challenge');
          if (challenge && q.get('code_challenge_method') !== 'S256') return err(400, 'invalid_request', { error_description: 'Code challenge method must be S256.' });
          // The user approves at once.
          const code = token();
          grants.set(code, { clientId: app.clientId, redirectUri, scopes, challenge, used: false });
          const back = new URL(redirectUri);
          back.searchParams.set('code', code);
          const st = q.get('state');
          if (st !== null) back.searchParams.set('state', st);
          return { status: 302, headers: { location: back.toString() } };
        },
      },
      {
        method: 'POST',
        path: '/oauth/token',
        async handler(req) {
          const p = await params(req);
          const app = apps.get(String(p.client_id ?? ''));
          if (!app || app.clientSecret !== p.client_secret) return err(401, 'invalid_client', { error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' });
          const invalidGrant = err(400, 'invalid_grant', { error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.' });
          if (p.grant_type === 'client_credentials') {
            const t = token();
            tokens.set(t, { accountId: '', scopes: ['read'], clientId: app.clientId, revoked: false });
            return { status: 200, json: { access_token: t, token_type: 'Bearer', scope: 'read', created_at: Math.floor(Date.now() / 1000) } };
          }
          if (p.grant_type !== 'authorization_code') return err(400, 'unsupported_grant_type', { error_description: 'The authorization grant type is not supported by the authorization server.' });
          const grant = grants.get(String(p.code ?? ''));
          if (!grant || grant.used || grant.clientId !== app.clientId || grant.redirectUri !== p.redirect_uri) return invalidGrant;
          if (grant.challenge && (typeof p.code_verifier !== 'string' || sha256url(p.code_verifier) !== grant.challenge)) return invalidGrant;
          grant.used = true;
          const t = token();
          tokens.set(t, { accountId: user.id, scopes: grant.scopes, clientId: app.clientId, revoked: false });
          return { status: 200, json: { access_token: t, token_type: 'Bearer', scope: grant.scopes.join(' '), created_at: Math.floor(Date.now() / 1000) } };
        },
      },
      {
        method: 'POST',
        path: '/oauth/revoke',
        async handler(req) {
          const p = await params(req);
          const t = tokens.get(String(p.token ?? ''));
          const app = apps.get(String(p.client_id ?? ''));
          if (!t || !app || t.clientId !== app.clientId || app.clientSecret !== p.client_secret) return err(403, 'unauthorized_client', { error_description: 'You are not authorized to revoke this token' });
          t.revoked = true;
          return { status: 200, json: {} };
        },
      },
      {
        method: 'GET',
        path: '/api/v1/accounts/verify_credentials',
        handler(req) {
          const t = authorize(req, 'read:accounts');
          if (isAnswer(t)) return t;
          return { status: 200, json: { ...account(), source: { privacy: 'public', sensitive: false, language: 'en', note: '', fields: [] } } };
        },
      },
      {
        method: 'POST',
        path: '/api/v2/media',
        async handler(req) {
          const t = authorize(req, 'write:media');
          if (isAnswer(t)) return t;
          const form = await req.form();
          const file = form.get('file');
          if (!file || typeof file === 'string' || !file.type) return err(422, 'Validation failed: File content type is invalid, File is invalid');
          const kind = file.type.split('/')[0]!;
          if (!['image', 'video', 'audio'].includes(kind)) return err(422, 'Validation failed: File content type is invalid, File is invalid');
          const description = form.get('description');
          const m: Media = { id: id(), type: kind, description: typeof description === 'string' ? description : null, pollsUntilReady: state.mediaPolls, attachedTo: null };
          media.set(m.id, m);
          return { status: m.pollsUntilReady > 0 ? 202 : 200, json: mediaJson(m) };
        },
      },
      {
        method: 'GET',
        path: '/api/v1/media/:id',
        handler(req) {
          const t = authorize(req, 'write:media');
          if (isAnswer(t)) return t;
          const m = media.get(req.params.id!);
          if (!m) return err(404, 'Record not found');
          if (m.pollsUntilReady > 0) {
            m.pollsUntilReady--;
            return { status: 206, body: '' };
          }
          return { status: 200, json: mediaJson(m) };
        },
      },
      {
        method: 'POST',
        path: '/api/v1/statuses',
        async handler(req) {
          const t = authorize(req, 'write:statuses');
          if (isAnswer(t)) return t;
          const key = req.headers['idempotency-key'];
          const seen = typeof key === 'string' ? idempotency.get(`${t.accountId}:${key}`) : undefined;
          if (seen && statuses.has(seen)) return { status: 200, json: statusJson(statuses.get(seen)!) };
          const p = await params(req);
          const text = typeof p.status === 'string' ? p.status : '';
          const mediaIds = [p.media_ids ?? []].flat().map(String);
          if (text.trim() === '' && mediaIds.length === 0) return err(422, "Validation failed: Text can't be blank");
          if (mastodonLength(text) > MAX_CHARS) return err(422, `Validation failed: Text character limit of ${MAX_CHARS} exceeded`);
          if (mediaIds.length > MAX_MEDIA) return err(422, `Validation failed: Media attachments limit of ${MAX_MEDIA} exceeded`);
          for (const mid of mediaIds) {
            const m = media.get(mid);
            if (!m || m.attachedTo) return err(422, 'Validation failed: Media attachments are invalid');
            if (m.pollsUntilReady > 0) return err(422, 'Cannot attach files that have not finished processing. Try again in a moment!');
          }
          const inReplyTo = typeof p.in_reply_to_id === 'string' && p.in_reply_to_id ? p.in_reply_to_id : null;
          if (inReplyTo && !statuses.has(inReplyTo)) return err(404, 'Record not found');
          const s: Status = { id: id(), accountId: t.accountId, text, createdAt: new Date().toISOString(), inReplyToId: inReplyTo, mediaIds, visibility: typeof p.visibility === 'string' ? p.visibility : 'public', counts: { replies: 0, reblogs: 0, favourites: 0 } };
          statuses.set(s.id, s);
          for (const mid of mediaIds) media.get(mid)!.attachedTo = s.id;
          if (inReplyTo) statuses.get(inReplyTo)!.counts.replies++;
          if (typeof key === 'string') idempotency.set(`${t.accountId}:${key}`, s.id);
          return { status: 200, json: statusJson(s) };
        },
      },
      {
        method: 'GET',
        path: '/api/v1/statuses/:id',
        handler(req) {
          if (req.bearer) {
            const t = authorize(req, 'read:statuses');
            if (isAnswer(t)) return t;
          }
          const s = statuses.get(req.params.id!);
          return s ? { status: 200, json: statusJson(s) } : err(404, 'Record not found');
        },
      },
      {
        method: 'GET',
        path: '/api/v1/statuses/:id/context',
        handler(req) {
          if (req.bearer) {
            const t = authorize(req, 'read:statuses');
            if (isAnswer(t)) return t;
          }
          const root = statuses.get(req.params.id!);
          if (!root) return err(404, 'Record not found');
          const ancestors: Status[] = [];
          for (let p = root.inReplyToId; p && statuses.has(p); p = statuses.get(p)!.inReplyToId) ancestors.unshift(statuses.get(p)!);
          const descendants: Status[] = [];
          const walk = (parent: string) => {
            for (const s of statuses.values()) if (s.inReplyToId === parent) (descendants.push(s), walk(s.id));
          };
          walk(root.id);
          return { status: 200, json: { ancestors: ancestors.map((s) => statusJson(s)), descendants: descendants.map((s) => statusJson(s)) } };
        },
      },
      {
        method: 'DELETE',
        path: '/api/v1/statuses/:id',
        handler(req) {
          const t = authorize(req, 'write:statuses');
          if (isAnswer(t)) return t;
          const s = statuses.get(req.params.id!);
          if (!s || s.accountId !== t.accountId) return err(404, 'Record not found');
          statuses.delete(s.id);
          return { status: 200, json: statusJson(s, true) };
        },
      },
    ],
  });
  origin = fake.origin;

  return {
    origin: fake.origin,
    requests: fake.requests,
    failNext: fake.failNext,
    close: fake.close,
    user,
    statuses,
    get mediaPolls() {
      return state.mediaPolls;
    },
    set mediaPolls(n: number) {
      state.mediaPolls = n;
    },
    setCounts(statusId: string, counts: Partial<Status['counts']>) {
      const s = statuses.get(statusId);
      if (!s) throw new Error(`no status ${statusId}`);
      Object.assign(s.counts, counts);
    },
    revokeAll() {
      for (const t of tokens.values()) t.revoked = true;
    },
  };
}
