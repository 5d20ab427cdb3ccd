/**
 * A fake Bluesky PDS, with the AppView methods a PDS proxies, written from the public
 * reference: the lexicons (com.atproto.server.createSession / refreshSession / getSession,
 * com.atproto.identity.resolveHandle, com.atproto.repo.uploadBlob / createRecord /
 * getRecord / deleteRecord, app.bsky.feed.post, app.bsky.richtext.facet,
 * app.bsky.embed.images, app.bsky.feed.getPosts / getPostThread, app.bsky.actor.getProfile),
 * the XRPC conventions of the reference PDS (methods at /xrpc/<nsid>, errors as
 * `{ "error", "message" }`, 400 `ExpiredToken` / `InvalidToken` for a refused bearer token,
 * 401 for missing or wrong credentials, refresh tokens rotated with a two-hour grace, a
 * second record at one key refused with a 500) and docs.bsky.app's rate limits
 * (RateLimit-Limit / -Remaining / -Reset / -Policy on every answer, 429 RateLimitExceeded).
 *
 * Known simplifications: record CIDs hash the JSON form of the record rather than its
 * DAG-CBOR encoding; only app.bsky.feed.post records are stored; and post record keys
 * must be TIDs, as the lexicon declares (the PDS does not check the key type yet).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { startFakePlatform, type AnsweredFault, type FakeRequest, type FakeResponse, type PlatformFake } from '@markettina/sdk/testing';

const POST = 'app.bsky.feed.post';
const TEXT_MAX_GRAPHEMES = 300;
const TEXT_MAX_BYTES = 3000;
const IMAGES_MAX = 4;
const IMAGE_MAX_BYTES = 1_000_000;
const BLOB_MAX_BYTES = 52_428_800;
const ACCESS_TTL_S = 2 * 3600;
const REFRESH_TTL_S = 90 * 86_400;
const REFRESH_GRACE_S = 2 * 3600;
const GLOBAL_LIMIT = { limit: 3000, windowS: 300 };
const WRITE_POINTS = { limit: 5000, windowS: 3600 };
const SESSION_LIMIT = { limit: 30, windowS: 300 };

export interface Counts {
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
}

export interface StoredPost {
  uri: string;
  cid: string;
  did: string;
  value: Record<string, unknown> & { text: string; reply?: { root: { uri: string }; parent: { uri: string } } };
  indexedAt: string;
  counts: Counts;
}

export interface StoredBlob {
  did: string;
  mimeType: string;
  size: number;
}

export interface FakeBluesky extends PlatformFake {
  /** The account tenants connect, with a valid app password. */
  readonly account: { did: string; handle: string; email: string; appPassword: string };
  /** Other accounts on the network, by handle. */
  readonly users: ReadonlyMap<string, string>;
  readonly posts: ReadonlyMap<string, StoredPost>;
  readonly blobs: ReadonlyMap<string, StoredBlob>;
  /** Moves the server's clock: access tokens last two hours, refresh tokens ninety days. */
  advance(seconds: number): void;
  /**
   * The user revokes the app password (and creates another, now `account.appPassword`):
   * the old one no longer signs in, and the refresh tokens of its sessions end.
   */
  revokeAppPassword(): void;
  /** Engagement from other accounts, as the AppView counts it. */
  setCounts(uri: string, counts: Partial<Counts>): void;
  /** The user deletes a post in the Bluesky app. */
  removePost(uri: string): void;
  /** The next createRecord is written, but its answer never leaves the server. */
  loseNextWriteAnswer(): void;
}

// ---- encodings --------------------------------------------------------------------------

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** A CIDv1 (sha2-256) in base32: codec 0x55 for raw blobs, 0x71 for records. */
function cidOf(codec: 0x55 | 0x71, bytes: Uint8Array): string {
  const digest = createHash('sha256').update(bytes).digest();
  return `b${base32(Buffer.concat([Buffer.from([0x01, codec, 0x12, 0x20]), digest]))}`;
}

const S32 = '234567abcdefghijklmnopqrstuvwxyz';
let lastTid = 0n;
/** A TID from the clock (microseconds, then 10 clock-id bits). */
function tidNow(nowMs: number): string {
  let n = (BigInt(nowMs) * 1000n) << 10n;
  if (n <= lastTid) n = lastTid + 1n;
  lastTid = n;
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = S32[Number(n & 31n)]! + out;
    n >>= 5n;
  }
  return out;
}

const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

// ---- lexicon formats ----------------------------------------------------------------------

const DID = /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/;
const AT_URI = /^at:\/\/[^/?#\s]+(\/[a-zA-Z0-9.-]+(\/[a-zA-Z0-9._:~-]+)?)?$/;
const CID = /^b[a-z2-7]{8,}$/;
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const RECORD_KEY = /^[a-zA-Z0-9._:~-]{1,512}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const LANGUAGE = /^(i-[a-z]{1,8}|[a-z]{2,3}(-[a-zA-Z0-9]{1,8})*)$/i;

const err = (status: number, error: string, message: string): FakeResponse => ({ status, json: { error, message } });
const invalid = (message: string) => err(400, 'InvalidRequest', message);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUri = (s: unknown) => typeof s === 'string' && /^[a-z][a-z0-9+.-]*:\S+$/i.test(s);

function strongRefProblem(ref: unknown, at: string): string | undefined {
  if (!isObject(ref)) return `${at} must be an object`;
  if (typeof ref.uri !== 'string' || !AT_URI.test(ref.uri)) return `${at}/uri must be a valid at-uri`;
  if (typeof ref.cid !== 'string' || !CID.test(ref.cid)) return `${at}/cid must be a cid string`;
  return undefined;
}

function facetProblem(facet: unknown, at: string): string | undefined {
  if (!isObject(facet) || !isObject(facet.index)) return `${at} must have the property "index"`;
  for (const k of ['byteStart', 'byteEnd'] as const) {
    const v = facet.index[k];
    if (!Number.isInteger(v) || (v as number) < 0) return `${at}/index/${k} must be an integer >= 0`;
  }
  if (!Array.isArray(facet.features)) return `${at} must have the property "features"`;
  for (const [i, f] of facet.features.entries()) {
    const fat = `${at}/features/${i}`;
    if (!isObject(f)) return `${fat} must be an object`;
    // The union is open: features of unknown types are kept as they are.
    if (f.$type === 'app.bsky.richtext.facet#mention' && (typeof f.did !== 'string' || !DID.test(f.did))) return `${fat}/did must be a valid did`;
    if (f.$type === 'app.bsky.richtext.facet#link' && !isUri(f.uri)) return `${fat}/uri must be a uri`;
    if (f.$type === 'app.bsky.richtext.facet#tag') {
      if (typeof f.tag !== 'string') return `${fat} must have the property "tag"`;
      if (graphemes(f.tag) > 64) return `${fat}/tag must not be longer than 64 graphemes`;
      if (bytes(f.tag) > 640) return `${fat}/tag must not be longer than 640 characters`;
    }
  }
  return undefined;
}

/** app.bsky.feed.post, as the PDS validates it before writing (messages as the lexicon validator words them). */
function postProblem(record: Record<string, unknown>, blobOf: (cid: string) => StoredBlob | undefined): FakeResponse | undefined {
  const bad = (m: string) => invalid(`Invalid ${POST} record: ${m}`);
  if (typeof record.text !== 'string') return bad('Record must have the property "text"');
  if (graphemes(record.text) > TEXT_MAX_GRAPHEMES) return bad(`Record/text must not be longer than ${TEXT_MAX_GRAPHEMES} graphemes`);
  if (bytes(record.text) > TEXT_MAX_BYTES) return bad(`Record/text must not be longer than ${TEXT_MAX_BYTES} characters`);
  if (typeof record.createdAt !== 'string') return bad('Record must have the property "createdAt"');
  if (!DATETIME.test(record.createdAt) || Number.isNaN(Date.parse(record.createdAt))) return bad('Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)');
  if (record.langs !== undefined) {
    if (!Array.isArray(record.langs)) return bad('Record/langs must be an array');
    if (record.langs.length > 3) return bad('Record/langs must not have more than 3 elements');
    const i = record.langs.findIndex((l) => typeof l !== 'string' || !LANGUAGE.test(l));
    if (i >= 0) return bad(`Record/langs/${i} must be a well-formed BCP 47 language tag`);
  }
  if (record.facets !== undefined) {
    if (!Array.isArray(record.facets)) return bad('Record/facets must be an array');
    for (const [i, f] of record.facets.entries()) {
      const p = facetProblem(f, `Record/facets/${i}`);
      if (p) return bad(p);
    }
  }
  if (record.reply !== undefined) {
    if (!isObject(record.reply)) return bad('Record/reply must be an object');
    const p = strongRefProblem(record.reply.root, 'Record/reply/root') ?? strongRefProblem(record.reply.parent, 'Record/reply/parent');
    if (p) return bad(p);
  }
  const embed = record.embed;
  if (embed !== undefined && isObject(embed) && embed.$type === 'app.bsky.embed.images') {
    if (!Array.isArray(embed.images)) return bad('Record/embed must have the property "images"');
    if (embed.images.length > IMAGES_MAX) return bad(`Record/embed/images must not have more than ${IMAGES_MAX} elements`);
    for (const [i, img] of embed.images.entries()) {
      const at = `Record/embed/images/${i}`;
      if (!isObject(img)) return bad(`${at} must be an object`);
      if (typeof img.alt !== 'string') return bad(`${at} must have the property "alt"`);
      const blob = img.image;
      if (!isObject(blob) || blob.$type !== 'blob' || !isObject(blob.ref) || typeof blob.ref.$link !== 'string') return bad(`${at}/image should be a blob ref`);
      const stored = blobOf(blob.ref.$link);
      // The PDS checks blobs when it makes them permanent, against what was uploaded.
      if (!stored) return err(400, 'BlobNotFound', `Could not find blob: ${blob.ref.$link}`);
      if (!stored.mimeType.startsWith('image/')) return err(400, 'InvalidMimeType', `Wrong type of file. It is ${stored.mimeType} but it must match image/*.`);
      if (stored.size > IMAGE_MAX_BYTES) return err(400, 'BlobTooLarge', `This file is too large. It is ${stored.size} bytes but the maximum size is ${IMAGE_MAX_BYTES} bytes.`);
    }
  }
  return undefined;
}

// ---- the server ---------------------------------------------------------------------------

interface RefreshToken {
  did: string;
  /** The app password that opened the session. */
  password: string;
  expiresAt: number;
  nextId?: string;
}

interface Window {
  start: number;
  used: number;
}

export async function startFakeBluesky(): Promise<FakeBluesky> {
  const secret = randomBytes(32);
  const account = { did: 'did:plc:mkt4test5account6abcdefg', handle: 'markettina.bsky.social', email: 'social@markettina.test', appPassword: 'abcd-efgh-ijkl-mnop' };
  const users = new Map<string, string>([
    [account.handle, account.did],
    ['alice.bsky.social', 'did:plc:alice2345abcdefghijklmno'],
    ['bob.example.com', 'did:web:bob.example.com'],
  ]);
  const names = new Map<string, string>([[account.did, 'Markettina Test'], ['did:plc:alice2345abcdefghijklmno', 'Alice']]);
  const handleOf = (did: string) => [...users].find(([, d]) => d === did)?.[0];
  const refreshTokens = new Map<string, RefreshToken>();
  const posts = new Map<string, StoredPost>();
  const blobs = new Map<string, StoredBlob>();
  const windows = new Map<string, Window>();
  let offsetMs = 0;
  const revoked = new Set<string>();
  let loseAnswer = false;
  const now = () => Date.now() + offsetMs;
  const seconds = () => Math.floor(now() / 1000);
  let origin = '';
  const serviceDid = () => `did:web:${new URL(origin).hostname}`;

  // -- tokens: HS256 JWTs, as the PDS issues for password sessions --
  const jwt = (typ: string, payload: Record<string, unknown>) => {
    const head = Buffer.from(JSON.stringify({ typ, alg: 'HS256' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
  };
  function issueSession(did: string, refreshId: string) {
    const iat = seconds();
    return {
      accessJwt: jwt('at+jwt', { scope: 'com.atproto.appPass', sub: did, aud: serviceDid(), iat, exp: iat + ACCESS_TTL_S }),
      refreshJwt: jwt('refresh+jwt', { scope: 'com.atproto.refresh', sub: did, aud: serviceDid(), jti: refreshId, iat, exp: iat + REFRESH_TTL_S }),
    };
  }
  function newSession(did: string, password: string) {
    const id = randomBytes(16).toString('base64url');
    refreshTokens.set(id, { did, password, expiresAt: now() + REFRESH_TTL_S * 1000 });
    return issueSession(did, id);
  }
  const sessionBody = (did: string, tokens: { accessJwt: string; refreshJwt: string }) => ({
    ...tokens,
    did,
    handle: handleOf(did)!,
    didDoc: { '@context': ['https://www.w3.org/ns/did/v1'], id: did, alsoKnownAs: [`at://${handleOf(did)}`], service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: origin }] },
    email: account.email,
    emailConfirmed: true,
    emailAuthFactor: false,
    active: true,
  });

  /** The claims of a valid bearer token of `typ`, or the PDS's answer refusing it. */
  function verify(req: FakeRequest, typ: 'at+jwt' | 'refresh+jwt'): Record<string, unknown> | FakeResponse {
    const token = req.bearer;
    if (!token) return err(401, 'AuthMissing', 'Authentication Required');
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig || createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url') !== sig) return err(400, 'InvalidToken', 'Token could not be verified');
    const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { typ?: string };
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    if ((claims.exp as number) <= seconds()) return err(400, 'ExpiredToken', 'Token has expired');
    if (header.typ !== typ) return err(400, 'InvalidToken', 'Invalid token type');
    return claims;
  }
  const isAnswer = (x: unknown): x is FakeResponse => isObject(x) && typeof x.status === 'number';
  const accessDid = (req: FakeRequest): string | FakeResponse => {
    const claims = verify(req, 'at+jwt');
    return isAnswer(claims) ? claims : String(claims.sub);
  };
  /** AppView-style optional auth: a token, if sent, must be valid. */
  const optionalAuth = (req: FakeRequest): FakeResponse | undefined => {
    if (!req.headers.authorization) return undefined;
    const did = accessDid(req);
    return isAnswer(did) ? did : undefined;
  };
  const repoDid = (repo: unknown): string | undefined => (typeof repo === 'string' ? (repo.startsWith('did:') ? [...users.values()].find((d) => d === repo) : users.get(repo.toLowerCase())) : undefined);

  // -- rate limits: fixed windows, the tightest one reported, as the PDS's RateLimit-* headers do --
  function spend(key: string, rule: { limit: number; windowS: number }, points: number) {
    let w = windows.get(key);
    if (!w || now() - w.start >= rule.windowS * 1000) windows.set(key, (w = { start: now(), used: 0 }));
    w.used += points;
    return { limit: rule.limit, windowS: rule.windowS, remaining: rule.limit - w.used, reset: Math.floor((w.start + rule.windowS * 1000) / 1000) };
  }
  type Spent = ReturnType<typeof spend>;
  const headersOf = (s: Spent) => ({ 'ratelimit-limit': String(s.limit), 'ratelimit-remaining': String(Math.max(0, s.remaining)), 'ratelimit-reset': String(s.reset), 'ratelimit-policy': `${s.limit};w=${s.windowS}` });
  const limited = (s: Spent): FakeResponse => ({ status: 429, headers: headersOf(s), json: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' } });
  const extraLimits = new WeakMap<FakeRequest, Spent>();

  const postView = (p: StoredPost) => {
    const embed = p.value.embed as { $type?: string; images?: { image: { ref: { $link: string } }; alt: string }[] } | undefined;
    return {
      uri: p.uri,
      cid: p.cid,
      author: { did: p.did, handle: handleOf(p.did), displayName: names.get(p.did) ?? '', labels: [], createdAt: '2024-01-01T00:00:00.000Z' },
      record: p.value,
      ...(embed?.$type === 'app.bsky.embed.images'
        ? { embed: { $type: 'app.bsky.embed.images#view', images: (embed.images ?? []).map((i) => ({ thumb: `https://cdn.bsky.app/img/feed_thumbnail/plain/${p.did}/${i.image.ref.$link}@jpeg`, fullsize: `https://cdn.bsky.app/img/feed_fullsize/plain/${p.did}/${i.image.ref.$link}@jpeg`, alt: i.alt })) } }
        : {}),
      replyCount: p.counts.replies,
      repostCount: p.counts.reposts,
      likeCount: p.counts.likes,
      quoteCount: p.counts.quotes,
      indexedAt: p.indexedAt,
      viewer: {},
      labels: [],
    };
  };
  const threadOf = (p: StoredPost, depth: number): Record<string, unknown> => ({
    $type: 'app.bsky.feed.defs#threadViewPost',
    post: postView(p),
    ...(depth > 0 ? { replies: [...posts.values()].filter((r) => r.value.reply?.parent.uri === p.uri).map((r) => threadOf(r, depth - 1)) } : {}),
  });
  const parentOf = (p: StoredPost) => (p.value.reply ? posts.get(p.value.reply.parent.uri) : undefined);
  const body = (req: FakeRequest): Record<string, unknown> | undefined => {
    try {
      const b = req.json<unknown>();
      return isObject(b) ? b : undefined;
    } catch {
      return undefined;
    }
  };
  const required = (input: Record<string, unknown> | URLSearchParams, names: string[], kind: 'Input' | 'Params'): FakeResponse | undefined => {
    for (const n of names) {
      const v = input instanceof URLSearchParams ? input.get(n) : input[n];
      if (v === undefined || v === null || v === '') return invalid(`${kind} must have the property "${n}"`);
    }
    return undefined;
  };

  const fake = await startFakePlatform({
    renderFault(fault: AnsweredFault, at: Date): FakeResponse {
      switch (fault.kind) {
        case 'unauthorized':
          return err(401, 'AuthenticationRequired', 'Authentication Required');
        case 'rate-limited': {
          const reset = Math.floor(at.getTime() / 1000) + fault.resetInSeconds;
          return { status: 429, headers: { 'ratelimit-limit': String(GLOBAL_LIMIT.limit), 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset), 'ratelimit-policy': `${GLOBAL_LIMIT.limit};w=${GLOBAL_LIMIT.windowS}` }, json: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' } };
        }
        case 'server-error':
          return err(500, 'InternalServerError', 'Internal Server Error');
      }
    },
    // Every answer carries the global per-IP window, or a tighter per-route one.
    decorate(req, res) {
      const global = spend('global', GLOBAL_LIMIT, 1);
      if (global.remaining < 0) return limited(global);
      const route = extraLimits.get(req);
      const tightest = route && route.remaining < global.remaining ? route : global;
      return { ...res, headers: { ...headersOf(tightest), ...res.headers } };
    },
    routes: [
      {
        method: 'POST',
        path: '/xrpc/com.atproto.server.createSession',
        handler(req) {
          const input = body(req);
          if (!input) return invalid('Request encoding (Content-Type) required but not provided');
          const missing = required(input, ['identifier', 'password'], 'Input');
          if (missing) return missing;
          const identifier = String(input.identifier).toLowerCase();
          const s = spend(`session:${identifier}`, SESSION_LIMIT, 1);
          extraLimits.set(req, s);
          if (s.remaining < 0) return limited(s);
          const known = identifier === account.handle || identifier === account.did || identifier === account.email;
          if (!known || revoked.has(String(input.password)) || input.password !== account.appPassword) return err(401, 'AuthenticationRequired', 'Invalid identifier or password');
          return { status: 200, json: sessionBody(account.did, newSession(account.did, account.appPassword)) };
        },
      },
      {
        method: 'POST',
        path: '/xrpc/com.atproto.server.refreshSession',
        handler(req) {
          const claims = verify(req, 'refresh+jwt');
          if (isAnswer(claims)) return claims;
          const token = refreshTokens.get(String(claims.jti));
          if (!token || token.expiresAt <= now()) return err(400, 'ExpiredToken', 'Token has been revoked');
          // Rotation: the old token keeps working for a short grace (concurrent refreshes get the same next token).
          token.expiresAt = Math.min(token.expiresAt, now() + REFRESH_GRACE_S * 1000);
          token.nextId ??= randomBytes(16).toString('base64url');
          refreshTokens.set(token.nextId, { did: token.did, password: token.password, expiresAt: now() + REFRESH_TTL_S * 1000 });
          return { status: 200, json: sessionBody(token.did, issueSession(token.did, token.nextId)) };
        },
      },
      {
        method: 'GET',
        path: '/xrpc/com.atproto.server.getSession',
        handler(req) {
          const did = accessDid(req);
          if (isAnswer(did)) return did;
          const { accessJwt: _a, refreshJwt: _r, ...session } = sessionBody(did, { accessJwt: '', refreshJwt: '' });
          return { status: 200, json: session };
        },
      },
      {
        method: 'GET',
        path: '/xrpc/app.bsky.actor.getProfile',
        handler(req) {
          const refused = optionalAuth(req);
          if (refused) return refused;
          const missing = required(req.query, ['actor'], 'Params');
          if (missing) return missing;
          const did = repoDid(req.query.get('actor'));
          if (!did) return invalid('Profile not found');
          return { status: 200, json: { did, handle: handleOf(did), displayName: names.get(did) ?? '', description: '', followersCount: 0, followsCount: 0, postsCount: [...posts.values()].filter((p) => p.did === did).length, labels: [], createdAt: '2024-01-01T00:00:00.000Z', indexedAt: '2024-01-01T00:00:00.000Z' } };
        },
      },
      {
        method: 'GET',
        path: '/xrpc/com.atproto.identity.resolveHandle',
        handler(req) {
          const missing = required(req.query, ['handle'], 'Params');
          if (missing) return missing;
          const did = users.get(req.query.get('handle')!.toLowerCase());
          return did ? { status: 200, json: { did } } : invalid('Unable to resolve handle');
        },
      },
      {
        method: 'POST',
        path: '/xrpc/com.atproto.repo.uploadBlob',
        handler(req) {
          const did = accessDid(req);
          if (isAnswer(did)) return did;
          const mimeType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
          if (!mimeType) return invalid('Request encoding (Content-Type) required but not provided');
          if (req.body.length > BLOB_MAX_BYTES) return err(413, 'PayloadTooLarge', 'request entity too large');
          const cid = cidOf(0x55, req.body);
          blobs.set(cid, { did, mimeType, size: req.body.length });
          return { status: 200, json: { blob: { $type: 'blob', ref: { $link: cid }, mimeType, size: req.body.length } } };
        },
      },
      {
        method: 'POST',
        path: '/xrpc/com.atproto.repo.createRecord',
        handler(req) {
          const did = accessDid(req);
          if (isAnswer(did)) return did;
          const input = body(req);
          if (!input) return invalid('Request encoding (Content-Type) required but not provided');
          const missing = required(input, ['repo', 'collection', 'record'], 'Input');
          if (missing) return missing;
          const repo = repoDid(input.repo);
          if (!repo) return invalid(`Could not find repo: ${String(input.repo)}`);
          if (repo !== did) return err(401, 'AuthenticationRequired', 'Authentication Required');
          const s = spend(`write:${did}`, WRITE_POINTS, 3);
          extraLimits.set(req, s);
          if (s.remaining < 0) return limited(s);
          if (input.collection !== POST) return invalid(`this fake stores ${POST} records only, not ${String(input.collection)}`);
          const record = input.record;
          if (!isObject(record)) return invalid('Input/record must be an object');
          if (record.$type !== undefined && record.$type !== POST) return invalid(`Invalid $type: must be ${POST}, got ${String(record.$type)}`);
          const rkey = input.rkey === undefined ? tidNow(now()) : String(input.rkey);
          if (!RECORD_KEY.test(rkey) || rkey === '.' || rkey === '..') return invalid('Invalid record key');
          if (!TID.test(rkey)) return invalid(`Invalid record key: ${POST} records are keyed by TID`);
          const problem = postProblem(record, (cid) => (blobs.get(cid)?.did === did ? blobs.get(cid) : undefined));
          if (problem) return problem;
          const uri = `at://${did}/${POST}/${rkey}`;
          // The repository's tree holds one value per key: writing a second is a server error.
          if (posts.has(uri)) return err(500, 'InternalServerError', 'Internal Server Error');
          const value = { ...record, $type: POST } as unknown as StoredPost['value'];
          const stored: StoredPost = { uri, cid: cidOf(0x71, Buffer.from(JSON.stringify(value))), did, value, indexedAt: new Date(now()).toISOString(), counts: { likes: 0, reposts: 0, replies: 0, quotes: 0 } };
          posts.set(uri, stored);
          const parent = parentOf(stored);
          if (parent) parent.counts.replies++;
          if (loseAnswer) {
            loseAnswer = false;
            return new Promise<FakeResponse>(() => {}); // written; the answer is lost (close() drops the socket)
          }
          return { status: 200, json: { uri, cid: stored.cid, commit: { cid: cidOf(0x71, randomBytes(32)), rev: tidNow(now()) }, validationStatus: 'valid' } };
        },
      },
      {
        method: 'GET',
        path: '/xrpc/com.atproto.repo.getRecord',
        handler(req) {
          const refused = optionalAuth(req);
          if (refused) return refused;
          const missing = required(req.query, ['repo', 'collection', 'rkey'], 'Params');
          if (missing) return missing;
          const did = repoDid(req.query.get('repo'));
          if (!did) return invalid(`Could not find repo: ${req.query.get('repo')}`);
          const uri = `at://${did}/${req.query.get('collection')}/${req.query.get('rkey')}`;
          const p = posts.get(uri);
          if (!p) return err(400, 'RecordNotFound', `Could not locate record: ${uri}`);
          return { status: 200, json: { uri, cid: p.cid, value: p.value } };
        },
      },
      {
        method: 'POST',
        path: '/xrpc/com.atproto.repo.deleteRecord',
        handler(req) {
          const did = accessDid(req);
          if (isAnswer(did)) return did;
          const input = body(req);
          if (!input) return invalid('Request encoding (Content-Type) required but not provided');
          const missing = required(input, ['repo', 'collection', 'rkey'], 'Input');
          if (missing) return missing;
          const repo = repoDid(input.repo);
          if (!repo) return invalid(`Could not find repo: ${String(input.repo)}`);
          if (repo !== did) return err(401, 'AuthenticationRequired', 'Authentication Required');
          const s = spend(`write:${did}`, WRITE_POINTS, 1);
          extraLimits.set(req, s);
          if (s.remaining < 0) return limited(s);
          const uri = `at://${did}/${String(input.collection)}/${String(input.rkey)}`;
          const p = posts.get(uri);
          // Deleting a record that is not there is a no-op.
          if (!p) return { status: 200, json: {} };
          posts.delete(uri);
          const parent = parentOf(p);
          if (parent) parent.counts.replies--;
          return { status: 200, json: { commit: { cid: cidOf(0x71, randomBytes(32)), rev: tidNow(now()) } } };
        },
      },
      {
        method: 'GET',
        path: '/xrpc/app.bsky.feed.getPosts',
        handler(req) {
          const refused = optionalAuth(req);
          if (refused) return refused;
          const uris = req.query.getAll('uris');
          if (uris.length === 0) return invalid('Params must have the property "uris"');
          if (uris.length > 25) return invalid('Params/uris must not have more than 25 elements');
          if (uris.some((u) => !AT_URI.test(u))) return invalid('Params/uris must be a valid at-uri');
          return { status: 200, json: { posts: uris.flatMap((u) => (posts.has(u) ? [postView(posts.get(u)!)] : [])) } };
        },
      },
      {
        method: 'GET',
        path: '/xrpc/app.bsky.feed.getPostThread',
        handler(req) {
          const refused = optionalAuth(req);
          if (refused) return refused;
          const missing = required(req.query, ['uri'], 'Params');
          if (missing) return missing;
          const depth = Number(req.query.get('depth') ?? 6);
          if (!Number.isInteger(depth) || depth < 0 || depth > 1000) return invalid('Params/depth must be an integer between 0 and 1000');
          const p = posts.get(req.query.get('uri')!);
          if (!p) return err(400, 'NotFound', `Post not found: ${req.query.get('uri')}`);
          return { status: 200, json: { thread: threadOf(p, depth) } };
        },
      },
      { method: 'GET', path: '/xrpc/:nsid', handler: () => err(501, 'MethodNotImplemented', 'Method Not Implemented') },
      { method: 'POST', path: '/xrpc/:nsid', handler: () => err(501, 'MethodNotImplemented', 'Method Not Implemented') },
    ],
  });
  origin = fake.origin;

  return {
    origin: fake.origin,
    requests: fake.requests,
    failNext: fake.failNext,
    close: fake.close,
    account,
    users,
    posts,
    blobs,
    advance(s: number) {
      offsetMs += s * 1000;
    },
    revokeAppPassword() {
      const old = account.appPassword;
      revoked.add(old);
      for (const [id, t] of refreshTokens) if (t.password === old) refreshTokens.delete(id);
      account.appPassword = `${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}`;
    },
    setCounts(uri: string, counts: Partial<Counts>) {
      const p = posts.get(uri);
      if (!p) throw new Error(`no post ${uri}`);
      Object.assign(p.counts, counts);
    },
    removePost(uri: string) {
      if (!posts.delete(uri)) throw new Error(`no post ${uri}`);
    },
    loseNextWriteAnswer() {
      loseAnswer = true;
    },
  };
}
