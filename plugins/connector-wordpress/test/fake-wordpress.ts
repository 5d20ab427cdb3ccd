/**
 * A fake self-hosted WordPress site, written from the REST API handbook
 * (developer.wordpress.org/rest-api: posts, media, tags, categories, comments, users,
 * authentication/application passwords) and the wp/v2 controllers of WordPress core. It
 * keeps their routes under /wp-json (in a folder when the site lives in one), the
 * `{ code, message, data: { status } }` error bodies and statuses, HTTP Basic with
 * application passwords, role capabilities, posts and attachments sharing one id sequence,
 * wp_insert_post's rules (a publish dated a minute ahead becomes `future`, `empty_content`,
 * unique slugs except for drafts), the trash (410 when trashed twice, 501 without a trash),
 * term names stored HTML-escaped with `term_exists`, raw-body media uploads with
 * Content-Disposition, X-WP-Total, and PHP's post_max_size, which drops a larger body whole.
 */
import { startFakePlatform, type AnsweredFault, type FakeRequest, type FakeResponse, type FakeRoute, type PlatformFake } from '@markettina/sdk/testing';

/** PHP's default post_max_size. */
const POST_MAX_BYTES = 8 * 1024 * 1024;
const STATUSES = ['publish', 'future', 'draft', 'pending', 'private'] as const;
const UPLOAD_EXTENSIONS: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' };

export type Role = 'administrator' | 'editor' | 'author' | 'contributor' | 'subscriber';
const CAPABILITIES: Record<Role, string[]> = {
  subscriber: ['read'],
  contributor: ['read', 'edit_posts', 'delete_posts'],
  author: ['read', 'edit_posts', 'delete_posts', 'publish_posts', 'upload_files', 'edit_published_posts', 'delete_published_posts'],
  editor: ['read', 'edit_posts', 'delete_posts', 'publish_posts', 'upload_files', 'edit_published_posts', 'delete_published_posts', 'edit_others_posts', 'manage_categories'],
  administrator: ['read', 'edit_posts', 'delete_posts', 'publish_posts', 'upload_files', 'edit_published_posts', 'delete_published_posts', 'edit_others_posts', 'manage_categories', 'manage_options'],
};

type PostStatus = (typeof STATUSES)[number] | 'trash';
interface Post {
  id: number;
  author: number;
  title: string;
  content: string;
  excerpt: string;
  status: PostStatus;
  slug: string;
  dateGmt: Date;
  tags: number[];
  categories: number[];
  featuredMedia: number;
  comments: number;
}
interface Attachment { id: number; author: number; fileName: string; mimeType: string; altText: string; bytes: number }
interface Term { id: number; taxonomy: 'post_tag' | 'category'; name: string; slug: string; parent: number }
interface User { id: number; login: string; email: string; name: string; role: Role; passwords: Set<string> }

export interface FakeWordPress extends PlatformFake {
  /** The site's address: the origin, and the folder WordPress lives in if any. */
  readonly site: string;
  /** The user WP_USER signs in as. */
  readonly user: { id: number; login: string };
  readonly posts: ReadonlyMap<number, Post>;
  readonly attachments: ReadonlyMap<number, Attachment>;
  /** Terms by id; names as WordPress stores them (HTML-escaped). */
  readonly terms: ReadonlyMap<number, Term>;
  /** Changes the role of the user (what the application password may do). */
  setRole(role: Role): void;
  /** Revokes every application password. */
  revokeAll(): void;
  /** Creates a term, as someone would in wp-admin. */
  addTerm(taxonomy: 'tags' | 'categories', name: string): number;
  /** Other people's approved comments under a post. */
  addComments(postId: number, n: number): void;
  /** WP-Cron: publishes every scheduled post due at `at`. */
  runCron(at: Date): void;
  /** The next post created is saved, but its answer never leaves (a lost response). */
  loseNextCreatedAnswer(): void;
}

export interface FakeWordPressOptions {
  /** The folder WordPress lives in, e.g. `/blog`. */
  folder?: string;
  /** EMPTY_TRASH_DAYS > 0: deleting without force moves posts to the trash. */
  trash?: boolean;
}

/** The fake's user and an application password of it, shown in groups of four as WordPress shows it once. */
export const WP_USER = { login: 'editor', applicationPassword: 'Abcd Efgh Ijkl Mnop Qrst Uvwx' };

const wpErr = (status: number, code: string, message: string, data: Record<string, unknown> = {}): FakeResponse => ({ status, json: { code, message, data: { status, ...data } } });
/** What sanitize_term_field and kses make of a name before storing it. */
const escapeName = (s: string) => s.trim().replace(/&(?!(amp|lt|gt|quot|#\d+);)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** sanitize_title_with_dashes, for ASCII titles. */
const sanitizeTitle = (s: string) => s.toLowerCase().replace(/<[^>]*>/g, '').replace(/&.+?;/g, '').replace(/[^a-z0-9 _-]/g, '').trim().replace(/[\s-]+/g, '-').replace(/^-+|-+$/g, '');
const gmt = (d: Date) => d.toISOString().slice(0, 19);
const pick = (obj: Record<string, unknown>, fields: string | null) => (fields ? Object.fromEntries(fields.split(',').filter((f) => f in obj).map((f) => [f, obj[f]])) : obj);

export async function startFakeWordPress(options: FakeWordPressOptions = {}): Promise<FakeWordPress> {
  const folder = options.folder ?? '';
  const trash = options.trash ?? true;
  const posts = new Map<number, Post>();
  const attachments = new Map<number, Attachment>();
  const terms = new Map<number, Term>();
  const editor: User = { id: 1, login: WP_USER.login, email: 'editor@blog.example', name: 'Eddie Editor', role: 'editor', passwords: new Set([WP_USER.applicationPassword.replace(/ /g, '')]) };
  const users = [editor];
  // Posts and attachments are rows of one table: one sequence of ids.
  let nextPostId = 100;
  let nextTermId = 1;
  let loseAnswer = false;
  let site = '';

  const can = (u: User | null, cap: string) => u !== null && CAPABILITIES[u.role].includes(cap);
  const addTerm = (taxonomy: Term['taxonomy'], name: string, parent = 0): Term => {
    let slug = sanitizeTitle(name) || String(nextTermId);
    while ([...terms.values()].some((t) => t.taxonomy === taxonomy && t.slug === slug)) slug = `${slug}-2`;
    const t: Term = { id: nextTermId++, taxonomy, name: escapeName(name), slug, parent };
    terms.set(t.id, t);
    return t;
  };
  addTerm('category', 'Uncategorized');

  /** Who the request is, or the 401 WordPress answers for credentials it refuses. */
  function authenticate(req: FakeRequest): User | null | FakeResponse {
    const header = req.headers.authorization;
    if (!header?.startsWith('Basic ')) return null;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const login = decoded.slice(0, colon);
    // Application passwords are checked without their spaces.
    const given = decoded.slice(colon + 1).replace(/[^a-z\d]/gi, '');
    const user = users.find((u) => u.login === login || u.email === login);
    if (!user) return wpErr(401, 'invalid_username', 'Unknown username. Check again or try your email address.');
    if (!user.passwords.has(given)) return wpErr(401, 'incorrect_password', 'The provided password is an invalid application password.');
    return user;
  }
  const isAnswer = (x: unknown): x is FakeResponse => typeof x === 'object' && x !== null && 'status' in x;
  /** PHP drops a body larger than post_max_size: WordPress sees no parameters from it. */
  const bodyOf = (req: FakeRequest): Buffer => (req.body.length > POST_MAX_BYTES ? Buffer.alloc(0) : req.body);
  function params(req: FakeRequest): Record<string, unknown> {
    const out: Record<string, unknown> = Object.fromEntries(req.query);
    const body = bodyOf(req);
    if (body.length && String(req.headers['content-type'] ?? '').startsWith('application/json')) Object.assign(out, JSON.parse(body.toString('utf8')));
    return out;
  }

  const link = (p: Post) => (p.status === 'publish' || p.status === 'private' ? `${site}/${p.slug}/` : `${site}/?p=${p.id}`);
  const postJson = (p: Post, edit: boolean) => ({
    id: p.id,
    date: gmt(p.dateGmt),
    date_gmt: gmt(p.dateGmt),
    guid: { rendered: `${site}/?p=${p.id}`, ...(edit ? { raw: `${site}/?p=${p.id}` } : {}) },
    modified: gmt(p.dateGmt),
    modified_gmt: gmt(p.dateGmt),
    slug: p.slug,
    status: p.status,
    type: 'post',
    link: link(p),
    title: { rendered: p.title, ...(edit ? { raw: p.title } : {}) },
    content: { rendered: p.content, protected: false, ...(edit ? { raw: p.content, block_version: /<!-- wp:/.test(p.content) ? 1 : 0 } : {}) },
    excerpt: { rendered: p.excerpt ? `<p>${p.excerpt}</p>\n` : '', protected: false, ...(edit ? { raw: p.excerpt } : {}) },
    author: p.author,
    featured_media: p.featuredMedia,
    comment_status: 'open',
    ping_status: 'open',
    sticky: false,
    template: '',
    format: 'standard',
    meta: { footnotes: '' },
    categories: p.categories,
    tags: p.tags,
    ...(edit ? { permalink_template: `${site}/%postname%/`, generated_slug: sanitizeTitle(p.title) } : {}),
    _links: { self: [{ href: `${site}/wp-json/wp/v2/posts/${p.id}` }] },
  });
  const termJson = (t: Term) => ({
    id: t.id,
    count: [...posts.values()].filter((p) => (t.taxonomy === 'post_tag' ? p.tags : p.categories).includes(t.id)).length,
    description: '',
    link: `${site}/${t.taxonomy === 'post_tag' ? 'tag' : 'category'}/${t.slug}/`,
    name: t.name,
    slug: t.slug,
    taxonomy: t.taxonomy,
    ...(t.taxonomy === 'category' ? { parent: t.parent } : {}),
    meta: [],
  });
  const mediaJson = (a: Attachment) => ({
    id: a.id,
    date_gmt: gmt(new Date()),
    slug: sanitizeTitle(a.fileName.replace(/\.[^.]+$/, '')),
    status: 'inherit',
    type: 'attachment',
    link: `${site}/${sanitizeTitle(a.fileName)}/`,
    title: { rendered: a.fileName.replace(/\.[^.]+$/, '') },
    author: a.author,
    alt_text: a.altText,
    media_type: 'image',
    mime_type: a.mimeType,
    source_url: `${site}/wp-content/uploads/2026/01/${a.fileName}`,
  });
  const uniqueSlug = (slug: string, self: number) => {
    let candidate = slug;
    for (let n = 2; [...posts.values()].some((p) => p.id !== self && p.slug === candidate && p.status !== 'trash'); n++) candidate = `${slug}-${n}`;
    return candidate;
  };

  function requireUser(req: FakeRequest, cap: string, denied: [string, string], deniedStatus?: number): User | FakeResponse {
    const who = authenticate(req);
    if (isAnswer(who)) return who;
    if (!can(who, cap)) return wpErr(deniedStatus ?? (who ? 403 : 401), denied[0], denied[1]);
    return who!;
  }

  function createPost(req: FakeRequest): FakeResponse {
    const user = requireUser(req, 'edit_posts', ['rest_cannot_create', 'Sorry, you are not allowed to create posts as this user.']);
    if (isAnswer(user)) return user;
    const p = params(req);
    let status = (p.status ?? 'draft') as PostStatus;
    if (!STATUSES.includes(status as (typeof STATUSES)[number])) {
      return wpErr(400, 'rest_invalid_param', 'Invalid parameter(s): status', { params: { status: `status is not one of ${STATUSES.join(', ')}.` }, details: { status: { code: 'rest_not_in_enum', message: `status is not one of ${STATUSES.join(', ')}.`, data: null } } });
    }
    if ((status === 'publish' || status === 'future' || status === 'private') && !can(user, 'publish_posts')) return wpErr(403, 'rest_cannot_publish', 'Sorry, you are not allowed to publish posts in this post type.');
    let date = new Date();
    if (p.date_gmt !== undefined) {
      date = new Date(`${String(p.date_gmt).replace(/Z$|[+-]00:?00$/, '')}Z`);
      if (Number.isNaN(date.getTime())) return wpErr(400, 'rest_invalid_param', 'Invalid parameter(s): date_gmt', { params: { date_gmt: 'Invalid date.' } });
    }
    const ahead = date.getTime() - Date.now();
    if (status === 'publish' && ahead >= 60_000) status = 'future';
    else if (status === 'future' && ahead < 60_000) status = 'publish';
    const title = typeof p.title === 'string' ? p.title : '';
    const content = typeof p.content === 'string' ? p.content : '';
    const excerpt = typeof p.excerpt === 'string' ? p.excerpt : '';
    if (!title && !content && !excerpt) return wpErr(400, 'empty_content', 'Content, title, and excerpt are empty.');
    const featured = Number(p.featured_media ?? 0);
    if (featured && !attachments.has(featured)) return wpErr(400, 'rest_invalid_featured_media', 'Invalid featured media ID.');
    const ids = (v: unknown, taxonomy: Term['taxonomy']) => (Array.isArray(v) ? v.map(Number).filter((id) => terms.get(id)?.taxonomy === taxonomy) : []);
    const id = nextPostId++;
    const slug = typeof p.slug === 'string' && p.slug ? sanitizeTitle(p.slug) : status === 'draft' || status === 'pending' ? '' : sanitizeTitle(title) || String(id);
    const post: Post = {
      id,
      author: user.id,
      title,
      content,
      excerpt,
      status,
      // Drafts and pending posts keep their slug as given; others get a unique one.
      slug: status === 'draft' || status === 'pending' ? slug : uniqueSlug(slug, id),
      dateGmt: date,
      tags: ids(p.tags, 'post_tag'),
      categories: ids(p.categories, 'category').length ? ids(p.categories, 'category') : [1],
      featuredMedia: featured,
      comments: 0,
    };
    posts.set(id, post);
    return { status: 201, headers: { location: `${site}/wp-json/wp/v2/posts/${id}` }, json: postJson(post, true) };
  }

  function listPosts(req: FakeRequest): FakeResponse {
    const who = authenticate(req);
    if (isAnswer(who)) return who;
    const wanted = (req.query.get('status') ?? 'publish').split(',');
    if (wanted.some((s) => !STATUSES.includes(s as (typeof STATUSES)[number]) && s !== 'any')) return wpErr(400, 'rest_invalid_param', 'Invalid parameter(s): status', { params: { status: `status[0] is not one of ${STATUSES.join(', ')}, and any.` } });
    const edit = req.query.get('context') === 'edit';
    if ((edit || wanted.some((s) => s !== 'publish')) && !can(who, 'edit_posts')) {
      return edit ? wpErr(who ? 403 : 401, 'rest_forbidden_context', 'Sorry, you are not allowed to edit posts in this post type.') : wpErr(who ? 403 : 401, 'rest_forbidden_status', 'Status is forbidden.');
    }
    const perPage = Number(req.query.get('per_page') ?? 10);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return wpErr(400, 'rest_invalid_param', 'Invalid parameter(s): per_page', { params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } });
    const orderby = req.query.get('orderby') ?? 'date';
    if (!['date', 'id', 'modified', 'slug', 'title'].includes(orderby)) return wpErr(400, 'rest_invalid_param', 'Invalid parameter(s): orderby', { params: { orderby: 'orderby is not one of author, date, id, include, modified, parent, relevance, slug, include_slugs, and title.' } });
    const slugs = req.query.get('slug')?.split(',');
    const found = [...posts.values()].filter((p) => (wanted.includes('any') ? p.status !== 'trash' : wanted.includes(p.status)) && (!slugs || slugs.includes(p.slug)));
    const key = (p: Post) => (orderby === 'id' ? p.id : orderby === 'slug' ? p.slug : orderby === 'title' ? p.title : p.dateGmt.getTime());
    const sign = req.query.get('order') === 'asc' ? 1 : -1;
    const page = found.sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : 0)).slice(0, perPage);
    return { status: 200, headers: { 'x-wp-total': String(found.length), 'x-wp-totalpages': String(Math.ceil(found.length / perPage)) }, json: page.map((p) => pick(postJson(p, edit), req.query.get('_fields'))) };
  }

  function readPost(req: FakeRequest): FakeResponse {
    const who = authenticate(req);
    if (isAnswer(who)) return who;
    const post = posts.get(Number(req.params.id));
    if (!post) return wpErr(404, 'rest_post_invalid_id', 'Invalid post ID.');
    const edit = req.query.get('context') === 'edit';
    if ((edit || post.status !== 'publish') && !can(who, 'edit_posts')) return wpErr(who ? 403 : 401, edit ? 'rest_forbidden_context' : 'rest_forbidden', edit ? 'Sorry, you are not allowed to edit this post.' : 'Sorry, you are not allowed to do that.');
    return { status: 200, json: pick(postJson(post, edit), req.query.get('_fields')) };
  }

  function deletePost(req: FakeRequest): FakeResponse {
    const post = posts.get(Number(req.params.id));
    const user = requireUser(req, 'delete_posts', ['rest_cannot_delete', 'Sorry, you are not allowed to delete this post.']);
    if (isAnswer(user)) return user;
    if (!post) return wpErr(404, 'rest_post_invalid_id', 'Invalid post ID.');
    if (post.status === 'publish' && !can(user, 'delete_published_posts')) return wpErr(403, 'rest_cannot_delete', 'Sorry, you are not allowed to delete this post.');
    if (req.query.get('force') === 'true') {
      posts.delete(post.id);
      return { status: 200, json: { deleted: true, previous: postJson(post, true) } };
    }
    if (!trash) return wpErr(501, 'rest_trash_not_supported', "The post does not support trashing. Set 'force' to true to delete.");
    if (post.status === 'trash') return wpErr(410, 'rest_already_trashed', 'The post has already been deleted.');
    post.status = 'trash';
    post.slug = `${post.slug}__trashed`;
    return { status: 200, json: postJson(post, true) };
  }

  function uploadMedia(req: FakeRequest): FakeResponse {
    const user = requireUser(req, 'edit_posts', ['rest_cannot_create', 'Sorry, you are not allowed to create posts as this user.']);
    if (isAnswer(user)) return user;
    if (!can(user, 'upload_files')) return wpErr(400, 'rest_cannot_create', 'Sorry, you are not allowed to upload media on this site.');
    const body = bodyOf(req);
    if (body.length === 0) return wpErr(400, 'rest_upload_no_data', 'No data supplied.');
    const type = req.headers['content-type'];
    if (!type) return wpErr(400, 'rest_upload_no_content_type', 'No Content-Type supplied.');
    const disposition = req.headers['content-disposition'];
    if (!disposition) return wpErr(400, 'rest_upload_no_content_disposition', 'No Content-Disposition supplied.');
    const fileName = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1]?.trim();
    if (!fileName) return wpErr(400, 'rest_upload_invalid_disposition', 'Invalid Content-Disposition supplied. Content-Disposition needs to be formatted as `attachment; filename="image.png"` or similar.');
    const ext = fileName.split('.').pop()!.toLowerCase();
    // wp_handle_sideload refuses a file whose extension is not allowed or does not fit its content.
    if (!UPLOAD_EXTENSIONS[ext] || UPLOAD_EXTENSIONS[ext] !== type.split(';')[0]!.trim()) return wpErr(500, 'rest_upload_sideload_error', 'Sorry, you are not allowed to upload this file type.');
    const a: Attachment = { id: nextPostId++, author: user.id, fileName, mimeType: UPLOAD_EXTENSIONS[ext]!, altText: req.query.get('alt_text') ?? '', bytes: body.length };
    attachments.set(a.id, a);
    return { status: 201, headers: { location: `${site}/wp-json/wp/v2/media/${a.id}` }, json: mediaJson(a) };
  }

  function termRoutes(base: 'tags' | 'categories'): FakeRoute[] {
    const taxonomy = base === 'tags' ? 'post_tag' : 'category';
    return [
      {
        method: 'GET',
        path: `${folder}/wp-json/wp/v2/${base}`,
        handler(req) {
          const who = authenticate(req);
          if (isAnswer(who)) return who;
          const perPage = Number(req.query.get('per_page') ?? 10);
          if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return wpErr(400, 'rest_invalid_param', 'Invalid parameter(s): per_page', { params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } });
          // get_terms' search: LIKE on the stored name or the slug.
          const search = req.query.get('search')?.toLowerCase();
          const found = [...terms.values()].filter((t) => t.taxonomy === taxonomy && (!search || t.name.toLowerCase().includes(search) || t.slug.includes(search)));
          return { status: 200, headers: { 'x-wp-total': String(found.length), 'x-wp-totalpages': String(Math.ceil(found.length / perPage)) }, json: found.slice(0, perPage).map((t) => pick(termJson(t), req.query.get('_fields'))) };
        },
      },
      {
        method: 'POST',
        path: `${folder}/wp-json/wp/v2/${base}`,
        handler(req) {
          const user = requireUser(req, 'manage_categories', ['rest_cannot_create', 'Sorry, you are not allowed to create terms in this taxonomy.']);
          if (isAnswer(user)) return user;
          const p = params(req);
          if (typeof p.name !== 'string' || p.name.trim() === '') return wpErr(400, 'rest_missing_callback_param', 'Missing parameter(s): name', { params: ['name'] });
          const name = escapeName(p.name);
          const parent = Number(p.parent ?? 0);
          const same = [...terms.values()].find((t) => t.taxonomy === taxonomy && t.name.toLowerCase() === name.toLowerCase() && t.parent === parent);
          if (same) return wpErr(400, 'term_exists', 'A term with the name provided already exists in this taxonomy.', { term_id: same.id });
          return { status: 201, json: termJson(addTerm(taxonomy, p.name, parent)) };
        },
      },
    ];
  }

  const fake = await startFakePlatform({
    renderFault(fault: AnsweredFault): FakeResponse {
      switch (fault.kind) {
        case 'unauthorized':
          return wpErr(401, 'incorrect_password', 'The provided password is an invalid application password.');
        case 'rate-limited':
          // WordPress core never limits; the host's proxy in front of it does, in HTML.
          return { status: 429, headers: { 'retry-after': String(fault.resetInSeconds), 'content-type': 'text/html' }, body: '<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>' };
        case 'server-error':
          // WP_Fatal_Error_Handler's answer to a REST request.
          return { status: 500, json: { code: 'internal_server_error', message: '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>', data: { status: 500 }, additional_errors: [] } };
      }
    },
    decorate(req, res) {
      if (!req.path.startsWith(`${folder}/wp-json/`)) return res;
      return { ...res, headers: { link: `<${site}/wp-json/>; rel="https://api.w.org/"`, 'x-robots-tag': 'noindex', 'x-content-type-options': 'nosniff', 'access-control-expose-headers': 'X-WP-Total, X-WP-TotalPages, Link', ...res.headers } };
    },
    routes: [
      {
        method: 'GET',
        path: `${folder}/wp-json/wp/v2/users/me`,
        handler(req) {
          const who = authenticate(req);
          if (isAnswer(who)) return who;
          if (!who) return wpErr(401, 'rest_not_logged_in', 'You are not currently logged in.');
          const edit = req.query.get('context') === 'edit';
          const caps = Object.fromEntries(CAPABILITIES[who.role].map((c) => [c, true]));
          return {
            status: 200,
            json: { id: who.id, name: who.name, url: '', description: '', link: `${site}/author/${who.login}/`, slug: who.login, avatar_urls: {}, ...(edit ? { username: who.login, email: who.email, roles: [who.role], capabilities: { ...caps, [who.role]: true } } : {}) },
          };
        },
      },
      { method: 'GET', path: `${folder}/wp-json/wp/v2/posts`, handler: listPosts },
      {
        method: 'POST',
        path: `${folder}/wp-json/wp/v2/posts`,
        handler(req) {
          const answer = createPost(req);
          if (answer.status === 201 && loseAnswer) {
            loseAnswer = false;
            return new Promise<FakeResponse>(() => undefined);
          }
          return answer;
        },
      },
      { method: 'GET', path: `${folder}/wp-json/wp/v2/posts/:id`, handler: readPost },
      { method: 'DELETE', path: `${folder}/wp-json/wp/v2/posts/:id`, handler: deletePost },
      { method: 'POST', path: `${folder}/wp-json/wp/v2/media`, handler: uploadMedia },
      ...termRoutes('tags'),
      ...termRoutes('categories'),
      {
        method: 'GET',
        path: `${folder}/wp-json/wp/v2/comments`,
        handler(req) {
          const who = authenticate(req);
          if (isAnswer(who)) return who;
          const post = posts.get(Number(req.query.get('post')));
          const total = post ? post.comments : 0;
          const perPage = Number(req.query.get('per_page') ?? 10);
          const page = Array.from({ length: Math.min(total, perPage) }, (_, i) => pick({ id: i + 1, post: post!.id, status: 'approved', content: { rendered: '<p>Nice post</p>' } }, req.query.get('_fields')));
          return { status: 200, headers: { 'x-wp-total': String(total), 'x-wp-totalpages': String(Math.ceil(total / perPage)) }, json: page };
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
    user: { id: editor.id, login: editor.login },
    posts,
    attachments,
    terms,
    setRole(role) {
      editor.role = role;
    },
    revokeAll() {
      editor.passwords.clear();
    },
    addTerm(taxonomy, name) {
      return addTerm(taxonomy === 'tags' ? 'post_tag' : 'category', name).id;
    },
    addComments(postId, n) {
      const post = posts.get(postId);
      if (!post) throw new Error(`no post ${postId}`);
      post.comments += n;
    },
    runCron(at) {
      for (const p of posts.values()) if (p.status === 'future' && p.dateGmt.getTime() <= at.getTime()) p.status = 'publish';
    },
    loseNextCreatedAnswer() {
      loseAnswer = true;
    },
  };
}
