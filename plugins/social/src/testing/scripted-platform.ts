import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the platform does with the next publish request of an account or of a post:
 * - `rate-limited`: 429 with `Retry-After` (nothing created);
 * - `unavailable`: 503 (nothing created);
 * - `reject`: 422 with the platform's reason (nothing created);
 * - `pending`: accepted but processing; live (or failed) after `polls` status checks;
 * - `unauthorized`: the access token is revoked and the request answered 401; a refresh works;
 * - `revoked`: the access and refresh tokens are both revoked: the account must reconnect;
 * - `lose-response`: the post is created, then the connection is dropped without an answer;
 * - `slow`: the answer comes after `ms`; with `afterCreate`, the post exists meanwhile
 *   (a node that dies while waiting has published it without learning so).
 */
export type Behaviour =
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'unavailable' }
  | { kind: 'reject'; reason: string }
  | { kind: 'pending'; polls: number; then?: 'published' | 'failed' }
  | { kind: 'unauthorized' }
  | { kind: 'revoked' }
  | { kind: 'lose-response' }
  | { kind: 'slow'; ms: number; afterCreate?: boolean };

export interface PlatformPost {
  id: string;
  account: string;
  text: string;
  thread: string[];
  /** Each attachment as the platform received it. */
  media: { mimeType: string; sizeBytes: number; sha256: string }[];
  status: 'processing' | 'published' | 'failed';
  /** The publisher's key for the logical post (sent on every publish, deduped on only where asked). */
  ref: string | undefined;
  metrics: Record<string, number>;
  createdAt: number;
}

export interface ScriptedPlatformOptions {
  /**
   * The platform's own rate limit per account, checked the way the kernel meters the
   * declared one (GCRA); requests over it are answered 429 and counted in `overLimit`.
   */
  rateLimit?: { limit: number; windowSeconds: number; burst?: number };
  /** Slack for the gap between the kernel's limiter and the request arriving here (default 250 ms). */
  rateToleranceMs?: number;
}

export interface ScriptedPlatform {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Every post created, oldest first. */
  readonly posts: PlatformPost[];
  /** Publish requests over the platform's rate limit. */
  readonly overLimit: number;
  /** The API key that connects account `handle` (created on first use). */
  apiKey(handle: string): string;
  /** Queues behaviours for the next publish requests of an account. */
  scriptAccount(handle: string, ...behaviours: Behaviour[]): void;
  /** Queues behaviours for the next publish requests carrying this key (the publication id). */
  scriptPost(ref: string, ...behaviours: Behaviour[]): void;
  /** Posts created per publisher key; more than one means the post went out twice. */
  createdFor(ref: string): number;
  /** Posts created beyond the first, over every key. */
  duplicates(): number;
  setMetrics(postId: string, metrics: Record<string, number>): void;
  /** Tokens refreshed so far. */
  readonly refreshes: number;
  close(): Promise<void>;
}

interface Account {
  handle: string;
  apiKey: string;
  refreshTokens: Set<string>;
  script: Behaviour[];
  tat: number | undefined;
}

const token = () => randomBytes(12).toString('hex');

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

// Unref'd: a scripted delay must not keep a finished test process alive.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * A small social platform over real HTTP for pipeline tests and benchmarks: API-key
 * sessions with refresh, posts with media and threads, optional deduplication by
 * `Idempotency-Key`, pending publishes, metrics per post, a per-account rate limit, and
 * scriptable failures per account or per post. It counts every post created per publisher
 * key, so a test can assert nothing went out twice.
 */
export async function startScriptedPlatform(options: ScriptedPlatformOptions = {}): Promise<ScriptedPlatform> {
  const accounts = new Map<string, Account>();
  const byKey = new Map<string, Account>();
  const access = new Map<string, Account>();
  const refreshOwners = new Map<string, Account>();
  const postScripts = new Map<string, Behaviour[]>();
  const posts: PlatformPost[] = [];
  const byId = new Map<string, PlatformPost>();
  const byIdempotencyKey = new Map<string, PlatformPost>();
  const created = new Map<string, number>();
  const pendingPolls = new Map<string, { left: number; then: 'published' | 'failed' }>();
  const state = { overLimit: 0, refreshes: 0 };
  const tolerance = options.rateToleranceMs ?? 250;

  const account = (handle: string): Account => {
    let a = accounts.get(handle);
    if (!a) {
      a = { handle, apiKey: `key-${handle}`, refreshTokens: new Set(), script: [], tat: undefined };
      accounts.set(handle, a);
      byKey.set(a.apiKey, a);
    }
    return a;
  };
  const session = (a: Account) => {
    const accessToken = token();
    const refreshToken = token();
    access.set(accessToken, a);
    a.refreshTokens.add(refreshToken);
    refreshOwners.set(refreshToken, a);
    return { accessToken, refreshToken, expiresIn: 3600 };
  };
  const revoke = (a: Account, refreshToo: boolean) => {
    for (const [t, owner] of access) if (owner === a) access.delete(t);
    if (refreshToo) a.refreshTokens.clear();
  };
  const bearerOf = (req: IncomingMessage) => {
    const h = req.headers.authorization;
    return h?.startsWith('Bearer ') ? access.get(h.slice(7)) : undefined;
  };
  /** GCRA, as the kernel's limiter: false when this request goes over the platform's limit. */
  const withinLimit = (a: Account) => {
    const limit = options.rateLimit;
    if (!limit) return true;
    const interval = (limit.windowSeconds * 1000) / limit.limit;
    const now = Date.now();
    const next = Math.max(a.tat ?? now, now) + interval;
    if (next - interval * (limit.burst ?? limit.limit) > now + tolerance) return false;
    a.tat = next;
    return true;
  };
  const nextBehaviour = (a: Account, ref: string | undefined): Behaviour | undefined => {
    const queue = ref ? postScripts.get(ref) : undefined;
    return queue?.length ? queue.shift() : a.script.shift();
  };

  async function publish(req: IncomingMessage, res: ServerResponse, a: Account): Promise<void> {
    const ref = (req.headers['x-publisher-ref'] as string | undefined) ?? undefined;
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    const body = await readJson(req);
    let behaviour = nextBehaviour(a, ref);
    let answerAfterMs = 0;
    if (behaviour?.kind === 'slow') {
      if (behaviour.afterCreate) answerAfterMs = behaviour.ms;
      else await sleep(behaviour.ms);
      behaviour = undefined;
    }
    if (!withinLimit(a)) {
      state.overLimit++;
      return send(res, 429, { error: 'rate limit exceeded' }, { 'retry-after': '1' });
    }
    switch (behaviour?.kind) {
      case 'rate-limited':
        return send(res, 429, { error: 'slow down' }, { 'retry-after': String(behaviour.retryAfterSeconds) });
      case 'unavailable':
        return send(res, 503, { error: 'service unavailable' });
      case 'reject':
        return send(res, 422, { error: behaviour.reason });
      case 'unauthorized':
      case 'revoked':
        revoke(a, behaviour.kind === 'revoked');
        return send(res, 401, { error: 'invalid token' });
    }
    const existing = idempotencyKey ? byIdempotencyKey.get(idempotencyKey) : undefined;
    const post = existing ?? createPost(a, body, ref, behaviour);
    if (idempotencyKey && !existing) byIdempotencyKey.set(idempotencyKey, post);
    if (behaviour?.kind === 'lose-response') {
      req.socket.destroy();
      return;
    }
    if (answerAfterMs) await sleep(answerAfterMs);
    send(res, existing ? 200 : post.status === 'processing' ? 202 : 201, postBody(post));
  }

  function createPost(a: Account, body: Record<string, unknown>, ref: string | undefined, behaviour: Behaviour | undefined): PlatformPost {
    const media = ((body.media as { mimeType: string; data: string }[] | undefined) ?? []).map((m) => {
      const bytes = Buffer.from(m.data, 'base64');
      return { mimeType: m.mimeType, sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
    const post: PlatformPost = {
      id: token(),
      account: a.handle,
      text: String(body.text ?? ''),
      thread: ((body.thread as string[] | undefined) ?? []).map(String),
      media,
      status: behaviour?.kind === 'pending' ? 'processing' : 'published',
      ref,
      metrics: { views: 0, likes: 0, comments: 0, shares: 0 },
      createdAt: Date.now(),
    };
    if (behaviour?.kind === 'pending') pendingPolls.set(post.id, { left: behaviour.polls, then: behaviour.then ?? 'published' });
    posts.push(post);
    byId.set(post.id, post);
    if (ref) created.set(ref, (created.get(ref) ?? 0) + 1);
    return post;
  }

  const postBody = (p: PlatformPost) => ({ id: p.id, url: `https://scripted.example/${p.account}/${p.id}`, status: p.status, ...(p.status === 'processing' ? { retryAfterMs: 50 } : {}), ...(p.status === 'failed' ? { error: 'processing failed' } : {}) });

  function readPost(res: ServerResponse, id: string): void {
    const post = byId.get(id);
    if (!post) return send(res, 404, { error: 'no such post' });
    const poll = pendingPolls.get(id);
    if (poll && --poll.left <= 0) {
      post.status = poll.then;
      pendingPolls.delete(id);
    }
    send(res, 200, { ...postBody(post), metrics: post.metrics });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://scripted.invalid');
    const route = `${req.method} ${url.pathname}`;
    const handle = async () => {
      if (route === 'POST /session') {
        const a = byKey.get(String((await readJson(req)).apiKey));
        return a ? send(res, 200, session(a)) : send(res, 401, { error: 'unknown API key' });
      }
      if (route === 'POST /session/refresh') {
        const rt = String((await readJson(req)).refreshToken);
        const a = refreshOwners.get(rt);
        if (!a || !a.refreshTokens.has(rt)) return send(res, 400, { error: 'invalid_grant' });
        a.refreshTokens.delete(rt);
        state.refreshes++;
        return send(res, 200, session(a));
      }
      const a = bearerOf(req);
      if (!a) return send(res, 401, { error: 'invalid token' });
      if (route === 'GET /me') return send(res, 200, { id: a.handle, name: `Account ${a.handle}` });
      if (route === 'POST /posts') return publish(req, res, a);
      const match = /^\/posts\/([^/]+)$/.exec(url.pathname);
      if (match && req.method === 'GET') return readPost(res, match[1]!);
      if (match && req.method === 'DELETE') return byId.delete(match[1]!) ? send(res, 204) : send(res, 404, { error: 'no such post' });
      send(res, 404, { error: 'not found' });
    };
    handle().catch((err: unknown) => send(res, 500, { error: (err as Error).message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    posts,
    get overLimit() {
      return state.overLimit;
    },
    get refreshes() {
      return state.refreshes;
    },
    apiKey: (handle) => account(handle).apiKey,
    scriptAccount: (handle, ...behaviours) => void account(handle).script.push(...behaviours),
    scriptPost: (ref, ...behaviours) => void postScripts.set(ref, [...(postScripts.get(ref) ?? []), ...behaviours]),
    createdFor: (ref) => created.get(ref) ?? 0,
    duplicates: () => [...created.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    setMetrics(postId, metrics) {
      const post = byId.get(postId);
      if (!post) throw new Error(`no post ${postId}`);
      post.metrics = { ...post.metrics, ...metrics };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
