/**
 * A fake Ghost 5 site, written from the Admin API documentation (docs.ghost.org/admin-api:
 * token authentication, posts, tags, images, filtering) and Ghost's own code: the Admin API
 * key authentication (core/server/services/auth/api-key/admin.js, verifying as jsonwebtoken
 * does: HS256 only, the signature with the hex-decoded secret, `exp`, audience /admin/,
 * five minutes after `iat`), the error renderer of @tryghost/mw-error-handler
 * (`{ errors: [{ message, context, type, details, property, help, code, id, ghostErrorCode }] }`,
 * with "Validation error, cannot save post." style messages inside API frames), posts in
 * Lexical or, with ?source=html, HTML, the schema's length validations, scheduling at least
 * two minutes ahead, unique slugs, NQL filters (`:`, `~`, `~^`, `~$`, `[..]`, `+`), image
 * uploads as multipart, DELETE answering 204, and nginx's 50 MB body limit (Ghost-CLI).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { startFakePlatform, type AnsweredFault, type FakeRequest, type FakeResponse, type PlatformFake } from '@markettina/sdk/testing';

/** The Admin API key of the site's one custom integration. */
export const GHOST_ADMIN_KEY = '65f1c0a2b3d4e5f6a7b8c9d0:6d61726b657474696e612d67686f73742d66616b652d7365637265742d6b6579';
const BODY_MAX_BYTES = 50 * 1024 * 1024;
const GHOST_VERSION = '5.96';
const IMAGE_TYPES: Record<string, string[]> = { 'image/jpeg': ['jpg', 'jpeg'], 'image/png': ['png'], 'image/gif': ['gif'], 'image/webp': ['webp'], 'image/svg+xml': ['svg', 'svgz'], 'image/x-icon': ['ico'] };

type Status = 'draft' | 'published' | 'scheduled' | 'sent';
interface Tag { id: string; name: string; slug: string }
interface Post {
  id: string;
  uuid: string;
  title: string;
  slug: string;
  /** Rendered HTML, from the Lexical document or the HTML Ghost was given. */
  html: string;
  lexical: string;
  status: Status;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  customExcerpt: string | null;
  featureImage: string | null;
  featureImageAlt: string | null;
  tags: string[];
  clicks: number;
}

export interface FakeGhost extends PlatformFake {
  /** The site's URL: the origin, and the folder Ghost lives in if any. */
  readonly site: string;
  readonly title: string;
  readonly posts: ReadonlyMap<string, Post>;
  /** Tags by slug. */
  readonly tags: ReadonlyMap<string, Tag>;
  /** Uploaded images by URL: their type and size. */
  readonly images: ReadonlyMap<string, { type: string; bytes: number }>;
  /** Members who clicked a link in the post's newsletter e-mail. */
  setClicks(postId: string, clicks: number): void;
  /** Deletes the integration: its key stops working. */
  revokeKey(): void;
  /** Ghost's scheduler: publishes every scheduled post due at `at`. */
  publishDue(at: Date): void;
  /** The next post created is saved, but its answer never leaves (a lost response). */
  loseNextCreatedAnswer(): void;
}

const objectId = () => randomBytes(12).toString('hex');

/** A Ghost error body as mw-error-handler renders it. */
function ghostErr(status: number, type: string, message: string, extra: { context?: string; property?: string; code?: string; help?: string } = {}): FakeResponse {
  return {
    status,
    headers: { 'cache-control': 'no-cache, private, no-store, must-revalidate, max-stale=0, post-check=0, pre-check=0' },
    json: { errors: [{ message, context: extra.context ?? null, type, details: null, property: extra.property ?? null, help: extra.help ?? null, code: extra.code ?? null, id: randomUUID(), ghostErrorCode: null }] },
  };
}

const USER_MESSAGES: Record<string, string> = { ValidationError: 'Validation error', NotFoundError: 'Resource not found error', BadRequestError: 'Request not understood error', UnsupportedMediaTypeError: 'Unsupported media error' };
/** An error raised inside an API frame: prepareUserMessage names the action and moves the message into the context. */
const frameErr = (status: number, type: string, action: string, message: string, property?: string) =>
  ghostErr(status, type, `${USER_MESSAGES[type] ?? type}, cannot ${action}.`, { context: message, ...(property ? { property } : {}) });

const maxLength = (value: unknown, max: number, field: string) =>
  typeof value === 'string' && [...value].length > max ? frameErr(422, 'ValidationError', 'save post', `Value in [${field}] exceeds maximum length of ${max} characters.`, field.split('.').pop()) : undefined;

/** @tryghost/string's slugify, for the characters tests use. */
const slugify = (s: string) => s.trim().toLowerCase().replace(/[^\p{L}\p{N}_]+/gu, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 185);
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface LexicalNode { type: string; text?: string; children?: LexicalNode[] }
/** Ghost's Lexical renderer, for paragraphs, text and line breaks. */
function renderLexical(lexical: string): string {
  const node = (n: LexicalNode): string => {
    if (n.type === 'paragraph') return `<p>${(n.children ?? []).map(node).join('')}</p>`;
    if (n.type === 'extended-text' || n.type === 'text') return escape(n.text ?? '');
    if (n.type === 'linebreak') return '<br>';
    return '';
  };
  return ((JSON.parse(lexical) as { root: LexicalNode }).root.children ?? []).map(node).join('');
}

const b64json = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * Checks an Admin API token as Ghost does: the token's `kid` names a key, then jsonwebtoken
 * verifies it with { algorithms: ['HS256'], maxAge: '5m', audience: /\/?admin\/?$/ }.
 * Returns undefined when it is good, else Ghost's answer.
 */
export function verifyAdminToken(token: string, keys: ReadonlyMap<string, string>, nowSeconds: number): FakeResponse | undefined {
  const parts = token.split('.');
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    if (parts.length !== 3) throw new Error('malformed');
    header = b64json(parts[0]!);
    payload = b64json(parts[1]!);
  } catch {
    return ghostErr(400, 'BadRequestError', 'Invalid token', { code: 'INVALID_JWT' });
  }
  if (!header.kid) return ghostErr(400, 'BadRequestError', 'Admin API kid missing.', { code: 'MISSING_ADMIN_API_KID' });
  const secret = keys.get(String(header.kid));
  if (!secret) return ghostErr(401, 'UnauthorizedError', 'Unknown Admin API Key', { code: 'UNKNOWN_ADMIN_API_KEY' });
  const invalid = (message: string) => ghostErr(401, 'UnauthorizedError', `Invalid token: ${message}`, { code: 'INVALID_JWT' });
  if (header.alg !== 'HS256') return invalid('invalid algorithm');
  const expected = createHmac('sha256', Buffer.from(secret, 'hex')).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid('invalid signature');
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > nowSeconds)) {
    // jsonwebtoken's NotBeforeError is not one Ghost expects: it answers it as a server error.
    return ghostErr(500, 'InternalServerError', 'An unexpected error occurred, please try again.', { code: 'UNEXPECTED_ERROR' });
  }
  if (payload.exp !== undefined) {
    if (typeof payload.exp !== 'number') return invalid('invalid exp value');
    if (nowSeconds >= payload.exp) return invalid('jwt expired');
  }
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.some((aud) => /\/?admin\/?$/.test(String(aud)))) return invalid('jwt audience invalid. expected: /\\/?admin\\/?$/');
  if (typeof payload.iat !== 'number') return invalid('iat required when maxAge is specified');
  if (nowSeconds >= payload.iat + 300) return invalid('maxAge exceeded');
  return undefined;
}

type Matcher = (p: Post, tags: ReadonlyMap<string, Tag>) => boolean;

/** The NQL Ghost's filters use, for single properties joined by `+` (and). */
export function parseNql(filter: string): Matcher | undefined {
  const clauses: Matcher[] = [];
  for (const clause of filter.match(/(?:[^+']|'(?:\\'|[^'])*')+/g) ?? []) {
    const m = /^([a-z_][a-z0-9_.]*):(-)?(~\^|~\$|~)?(.+)$/i.exec(clause.trim());
    if (!m) return undefined;
    const [, key, not, op, raw] = m as unknown as [string, string, string | undefined, string | undefined, string];
    const values = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1).split(',').map((v) => v.trim()) : [raw];
    const unquoted = values.map((v) => (v.startsWith("'") && v.endsWith("'") ? v.slice(1, -1).replace(/\\'/g, "'") : v));
    const field = (p: Post, t: ReadonlyMap<string, Tag>): string[] => {
      switch (key.toLowerCase()) {
        case 'slug':
          return [p.slug];
        case 'status':
          return [p.status];
        case 'title':
          return [p.title];
        case 'id':
          return [p.id];
        case 'tag':
        case 'tags.slug':
          return p.tags.map((s) => t.get(s)!.slug);
        default:
          return [];
      }
    };
    if (!['slug', 'status', 'title', 'id', 'tag', 'tags.slug'].includes(key.toLowerCase())) return undefined;
    const test = (have: string, want: string) => {
      const [a, b] = [have.toLowerCase(), want.toLowerCase()];
      return op === '~' ? a.includes(b) : op === '~^' ? a.startsWith(b) : op === '~$' ? a.endsWith(b) : a === b;
    };
    clauses.push((p, t) => field(p, t).some((have) => unquoted.some((want) => test(have, want))) !== Boolean(not));
  }
  return clauses.length ? (p, t) => clauses.every((c) => c(p, t)) : undefined;
}

const pick = (obj: Record<string, unknown>, fields: string | null) => (fields ? Object.fromEntries(fields.split(',').filter((f) => f in obj).map((f) => [f, obj[f]])) : obj);

export async function startFakeGhost(options: { folder?: string } = {}): Promise<FakeGhost> {
  const folder = options.folder ?? '';
  const api = `${folder}/ghost/api/admin`;
  const [keyId, keySecret] = GHOST_ADMIN_KEY.split(':') as [string, string];
  const keys = new Map([[keyId, keySecret]]);
  const posts = new Map<string, Post>();
  const tags = new Map<string, Tag>();
  const images = new Map<string, { type: string; bytes: number }>();
  const title = 'The Markettina Test Blog';
  let loseAnswer = false;
  let site = '';

  /** Authentication, then "ensure authenticated": an integration's key, or Ghost's refusal. */
  function authorize(req: FakeRequest): FakeResponse | undefined {
    const header = req.headers.authorization;
    if (!header) return ghostErr(403, 'NoPermissionError', 'Authorization failed', { context: 'Unable to determine the authenticated user or integration. Check that cookies are being passed through if using session authentication.' });
    const [scheme, token] = header.split(' ');
    if (!/^Ghost$/i.test(scheme ?? '') || !token) return ghostErr(401, 'UnauthorizedError', 'Authorization header format is "Authorization: Ghost [token]"', { code: 'INVALID_AUTH_HEADER' });
    return verifyAdminToken(token, keys, Math.floor(Date.now() / 1000));
  }
  /** nginx in front of Ghost (client_max_body_size 50m). */
  const tooLarge = (req: FakeRequest): FakeResponse | undefined =>
    req.body.length > BODY_MAX_BYTES ? { status: 413, headers: { 'content-type': 'text/html' }, body: '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n' } : undefined;

  const url = (p: Post) => (p.status === 'published' || p.status === 'sent' ? `${site}/${p.slug}/` : `${site}/p/${p.uuid}/`);
  const tagJson = (t: Tag) => ({ id: t.id, name: t.name, slug: t.slug, description: null, feature_image: null, visibility: t.name.startsWith('#') ? 'internal' : 'public', url: `${site}/tag/${t.slug}/` });
  const postJson = (p: Post, include: string[]) => ({
    id: p.id,
    uuid: p.uuid,
    title: p.title,
    slug: p.slug,
    lexical: p.lexical,
    html: p.html,
    comment_id: p.id,
    feature_image: p.featureImage,
    featured: false,
    status: p.status,
    visibility: 'public',
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    published_at: p.publishedAt?.toISOString() ?? null,
    custom_excerpt: p.customExcerpt,
    codeinjection_head: null,
    codeinjection_foot: null,
    custom_template: null,
    canonical_url: null,
    tags: p.tags.map((s) => tagJson(tags.get(s)!)),
    primary_tag: p.tags[0] ? tagJson(tags.get(p.tags[0])!) : null,
    email_only: false,
    url: url(p),
    excerpt: p.customExcerpt ?? p.html.replace(/<[^>]*>/g, ' ').trim().slice(0, 500),
    feature_image_alt: p.featureImageAlt,
    feature_image_caption: null,
    ...(include.includes('count.clicks') ? { count: { clicks: p.clicks } } : {}),
  });

  function addPost(req: FakeRequest): FakeResponse {
    const body = req.json<{ posts?: Record<string, unknown>[] }>();
    const input = body?.posts?.[0];
    if (!Array.isArray(body?.posts) || !input) return ghostErr(422, 'ValidationError', "No root key ('posts') provided.");
    const status = (input.status ?? 'draft') as Status;
    if (!['draft', 'published', 'scheduled', 'sent'].includes(status)) return frameErr(422, 'ValidationError', 'save post', 'Validation (isIn) failed for status', 'status');
    const tooLong =
      maxLength(input.title, 255, 'posts.title') ??
      maxLength(input.custom_excerpt, 300, 'posts.custom_excerpt') ??
      maxLength(input.feature_image_alt, 191, 'posts_meta.feature_image_alt') ??
      ((input.tags as { name?: string }[] | undefined) ?? []).map((t) => maxLength(t.name, 191, 'tags.name')).find(Boolean);
    if (tooLong) return tooLong;
    const publishedAt = typeof input.published_at === 'string' ? new Date(input.published_at) : null;
    if (status === 'scheduled' && (!publishedAt || publishedAt.getTime() < Date.now() + 2 * 60_000)) return frameErr(422, 'ValidationError', 'save post', 'Date must be at least 2 minutes in the future.');
    let lexical = '';
    let html = '';
    // `html` is read only with ?source=html (converted to Lexical); otherwise Ghost takes `lexical`.
    if (req.query.get('source') === 'html') {
      html = typeof input.html === 'string' ? input.html : '';
      lexical = JSON.stringify({ root: { children: [{ type: 'html', version: 1, html }], direction: null, format: '', indent: 0, type: 'root', version: 1 } });
    } else if (typeof input.lexical === 'string') {
      try {
        html = renderLexical(input.lexical);
      } catch {
        return frameErr(422, 'ValidationError', 'save post', 'Invalid lexical structure.', 'lexical');
      }
      lexical = input.lexical;
    }
    const postTags: string[] = [];
    for (const t of (input.tags as { name?: string; slug?: string }[] | undefined) ?? []) {
      const slug = t.slug ?? slugify(t.name ?? '');
      const known = tags.get(slug) ?? [...tags.values()].find((x) => x.name.toLowerCase() === (t.name ?? '').toLowerCase());
      if (!known) tags.set(slug, { id: objectId(), name: t.name ?? slug, slug });
      postTags.push(known?.slug ?? slug);
    }
    const postTitle = typeof input.title === 'string' && input.title.trim() ? input.title : '(Untitled)';
    let slug = slugify(typeof input.slug === 'string' && input.slug ? input.slug : postTitle);
    for (let n = 2, base = slug; [...posts.values()].some((p) => p.slug === slug); n++) slug = `${base}-${n}`;
    const now = new Date();
    const post: Post = {
      id: objectId(),
      uuid: randomUUID(),
      title: postTitle,
      slug,
      html,
      lexical,
      status,
      publishedAt: status === 'published' || status === 'sent' ? (publishedAt ?? now) : publishedAt,
      createdAt: now,
      updatedAt: now,
      customExcerpt: typeof input.custom_excerpt === 'string' ? input.custom_excerpt : null,
      featureImage: typeof input.feature_image === 'string' ? input.feature_image : null,
      featureImageAlt: typeof input.feature_image_alt === 'string' ? input.feature_image_alt : null,
      tags: postTags,
      clicks: 0,
    };
    posts.set(post.id, post);
    return { status: 201, headers: { location: `${site}/ghost/api/admin/posts/${post.id}/` }, json: { posts: [postJson(post, [])] } };
  }

  const fake = await startFakePlatform({
    renderFault(fault: AnsweredFault): FakeResponse {
      switch (fault.kind) {
        case 'unauthorized':
          return ghostErr(401, 'UnauthorizedError', 'Invalid token: jwt expired', { code: 'INVALID_JWT' });
        case 'rate-limited':
          // Ghost(Pro)'s front limits request rates, and says when to come back.
          return { ...ghostErr(429, 'TooManyRequestsError', 'Too many requests.'), headers: { 'retry-after': String(fault.resetInSeconds) } };
        case 'server-error':
          return ghostErr(500, 'InternalServerError', 'An unexpected error occurred, please try again.', { code: 'UNEXPECTED_ERROR' });
      }
    },
    decorate(req, res) {
      const version = req.headers['accept-version'];
      return { ...res, headers: { 'x-powered-by': 'Express', ...(version ? { 'content-version': `v${GHOST_VERSION}` } : {}), ...res.headers } };
    },
    routes: [
      {
        method: 'GET',
        path: `${api}/site/`,
        // Public: Ghost does not look at credentials here.
        handler: () => ({ status: 200, json: { site: { title, description: 'Thoughts, stories and ideas.', logo: null, icon: null, accent_color: '#15171A', locale: 'en', url: `${site}/`, version: GHOST_VERSION } } }),
      },
      {
        method: 'GET',
        path: `${api}/posts/`,
        handler(req) {
          const refused = authorize(req);
          if (refused) return refused;
          const filter = req.query.get('filter');
          const match = filter ? parseNql(filter) : () => true;
          if (!match) return ghostErr(400, 'BadRequestError', 'Error parsing filter', { context: `Query Error: unexpected character in filter at char 1` });
          const found = [...posts.values()].filter((p) => match(p, tags)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
          const limit = req.query.get('limit') === 'all' ? found.length || 1 : Number(req.query.get('limit') ?? 15);
          const include = (req.query.get('include') ?? '').split(',');
          return {
            status: 200,
            json: {
              posts: found.slice(0, limit).map((p) => pick(postJson(p, include), req.query.get('fields'))),
              meta: { pagination: { page: 1, limit, pages: Math.max(1, Math.ceil(found.length / limit)), total: found.length, next: found.length > limit ? 2 : null, prev: null } },
            },
          };
        },
      },
      {
        method: 'POST',
        path: `${api}/posts/`,
        handler(req) {
          const refused = tooLarge(req) ?? authorize(req);
          if (refused) return refused;
          const answer = addPost(req);
          if (answer.status === 201 && loseAnswer) {
            loseAnswer = false;
            return new Promise<FakeResponse>(() => undefined);
          }
          return answer;
        },
      },
      {
        method: 'GET',
        path: `${api}/posts/:id/`,
        handler(req) {
          const refused = authorize(req);
          if (refused) return refused;
          const post = posts.get(req.params.id!);
          if (!post) return frameErr(404, 'NotFoundError', 'read post', 'Post not found.');
          return { status: 200, json: { posts: [pick(postJson(post, (req.query.get('include') ?? '').split(',')), req.query.get('fields'))] } };
        },
      },
      {
        method: 'DELETE',
        path: `${api}/posts/:id/`,
        handler(req) {
          const refused = authorize(req);
          if (refused) return refused;
          if (!posts.delete(req.params.id!)) return frameErr(404, 'NotFoundError', 'delete post', 'Post not found.');
          return { status: 204, body: '' };
        },
      },
      {
        method: 'POST',
        path: `${api}/images/upload/`,
        async handler(req) {
          const refused = tooLarge(req) ?? authorize(req);
          if (refused) return refused;
          const form = await req.form();
          const file = form.get('file');
          if (!file || typeof file === 'string' || !file.name) return frameErr(422, 'ValidationError', 'upload image', 'Please select an image.');
          const ext = file.name.split('.').pop()!.toLowerCase();
          if (!IMAGE_TYPES[file.type]?.includes(ext)) return frameErr(415, 'UnsupportedMediaTypeError', 'upload image', 'Please select a valid image.');
          const at = `${site}/content/images/2026/01/${file.name}`;
          images.set(at, { type: file.type, bytes: file.size });
          const ref = form.get('ref');
          return { status: 201, json: { images: [{ url: at, ref: typeof ref === 'string' ? ref : null }] } };
        },
      },
    ],
  });
  site = `${fake.origin}${folder}`;

  return {
    origin: fake.origin,
    requests: fake.requests,
    failNext: fake.failNext,
    close: fake.close,
    site,
    title,
    posts,
    tags,
    images,
    setClicks(postId, clicks) {
      const post = posts.get(postId);
      if (!post) throw new Error(`no post ${postId}`);
      post.clicks = clicks;
    },
    revokeKey() {
      keys.clear();
    },
    publishDue(at) {
      for (const p of posts.values()) if (p.status === 'scheduled' && p.publishedAt && p.publishedAt.getTime() <= at.getTime()) p.status = 'published';
    },
    loseNextCreatedAnswer() {
      loseAnswer = true;
    },
  };
}
