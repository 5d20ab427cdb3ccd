import { PLUGIN_ID } from '../plugin.js';
import type { JsonSchema } from '../schema.js';
import { exchangeAuthorizationCode, refreshAccessToken, type ConnectorAuth } from './auth.js';
import { ARTICLE_FORMATS, METRIC_NAMES, type ConnectorCapabilities } from './capabilities.js';
import { CONNECTOR_CONTRACT_VERSION, type ConnectorContext, type ConnectorCredentials, type HttpResponse, type OAuthClient } from './context.js';
import { checkDraft, type PostDraft, type Violation } from './draft.js';
import { ContentRejected } from './errors.js';
import type { Channel, CommentPage, ConnectedIdentity, PostMetrics, PostStatus, PublishRequest, PublishResult, StatusQuery } from './operations.js';

/** Non-secret fields a tenant gives before connecting, e.g. the Mastodon instance. */
export interface ConnectorSetup {
  /** JSON Schema of an object of string fields. */
  schema: JsonSchema;
  /** The field holding the URL of the platform's host, for platforms that live on many hosts. */
  originField?: string;
}

/** How the host reads a platform's failures (defaults cover `Retry-After` and `{ error }` bodies). */
export interface ErrorReading {
  /** Milliseconds until a 429'd call may be retried, from the platform's headers. */
  rateLimitResetMs?(headers: Record<string, string>, now: Date): number | undefined;
  /** The platform's own words for a refused request. */
  reason?(response: HttpResponse): string | undefined;
}

interface Operations<A> {
  /** Extra platform rules; runs after the checks `capabilities` imply, which always run. Pure. */
  validate?(draft: PostDraft): Violation[];
  /** Turns a (valid) draft into what `publish` sends. Pure. */
  adapt(draft: PostDraft): A;
  /** Who the credentials in `ctx` belong to. */
  identify(ctx: ConnectorContext): Promise<ConnectedIdentity>;
  /** Pages or channels the account may post as (required when `capabilities.channels`). */
  listChannels?(ctx: ConnectorContext): Promise<Channel[]>;
  /** Registers an OAuth client with the platform at `ctx.origin` (required when `auth.client` is `dynamic`). */
  registerClient?(ctx: ConnectorContext, req: { redirectUri: string; scopes: string[] }): Promise<OAuthClient>;
  /** Trades an authorization code for credentials; the SDK's RFC 6749 exchange when omitted. */
  exchangeCode?(ctx: ConnectorContext, req: { code: string; redirectUri: string; codeVerifier?: string }): Promise<ConnectorCredentials>;
  /** Opens a session from API key / app password fields; keeps the fields as they are when omitted. */
  signIn?(ctx: ConnectorContext, fields: Record<string, string>): Promise<ConnectorCredentials>;
  /** New credentials before the old expire (required when `auth.refresh`; RFC 6749 refresh by default for OAuth). */
  refreshCredentials?(ctx: ConnectorContext): Promise<ConnectorCredentials>;
  publish(ctx: ConnectorContext, req: PublishRequest<A>): Promise<PublishResult>;
  checkStatus(ctx: ConnectorContext, query: StatusQuery): Promise<PostStatus>;
  delete?(ctx: ConnectorContext, externalId: string): Promise<void>;
  fetchMetrics?(ctx: ConnectorContext, externalId: string): Promise<PostMetrics>;
  fetchComments?(ctx: ConnectorContext, externalId: string, cursor?: string): Promise<CommentPage>;
  reply?(ctx: ConnectorContext, req: { inReplyTo: string; text: string; idempotencyKey: string }): Promise<PublishResult>;
}

export interface ConnectorDefinition<A = unknown> extends Operations<A> {
  /** The contract this connector was written against: CONNECTOR_CONTRACT_VERSION. */
  contractVersion: number;
  /** kebab-case, e.g. `mastodon`. */
  id: string;
  name: string;
  version: string;
  /** The API's origin when no setup field names one, e.g. `https://bsky.social`. */
  defaultOrigin?: string;
  setup?: ConnectorSetup;
  auth: ConnectorAuth;
  capabilities: ConnectorCapabilities;
  errors?: ErrorReading;
}

/** What clients are told about a connector: its declaration, never code or secrets. */
export interface ConnectorDescription {
  id: string;
  name: string;
  version: string;
  contractVersion: number;
  auth: ConnectorAuth;
  setup: JsonSchema | null;
  capabilities: ConnectorCapabilities;
}

/** A checked connector: every operation its capabilities promise is there, with SDK defaults filled in. */
export interface Connector<A = unknown> extends Readonly<Omit<ConnectorDefinition<A>, 'validate'>> {
  /** Declared limits first, then the connector's own rules. Pure. */
  validate(draft: PostDraft): Violation[];
  describe(): ConnectorDescription;
  readonly [CONNECTOR]: true;
}

const CONNECTOR = Symbol.for('markettina.connector');

export const isConnector = (value: unknown): value is Connector => typeof value === 'object' && value !== null && (value as Connector)[CONNECTOR] === true;

const positiveInt = (n: unknown) => Number.isInteger(n) && (n as number) > 0;

function definitionProblems(def: ConnectorDefinition<unknown>): string[] {
  const out: string[] = [];
  const need = (cond: unknown, msg: string) => {
    if (!cond) out.push(msg);
  };
  need(def.contractVersion === CONNECTOR_CONTRACT_VERSION, `it is written for contract version ${String(def.contractVersion)}, but this SDK speaks version ${CONNECTOR_CONTRACT_VERSION}`);
  need(typeof def.id === 'string' && PLUGIN_ID.test(def.id), 'id must be kebab-case');
  need(typeof def.name === 'string' && def.name.length > 0, 'name is missing');
  need(typeof def.version === 'string' && def.version.length > 0, 'version is missing');
  for (const op of ['adapt', 'identify', 'publish', 'checkStatus'] as const) need(typeof def[op] === 'function', `operation ${op} is missing`);
  need(def.defaultOrigin !== undefined || def.setup?.originField !== undefined, 'say where the API lives: defaultOrigin or setup.originField');
  // An optional origin field falls back to defaultOrigin (Bluesky: any PDS, bsky.social by default).
  if (def.setup?.originField) need(def.defaultOrigin !== undefined || (def.setup.schema.required as string[] | undefined)?.includes(def.setup.originField), `setup field "${def.setup.originField}" must be required, or defaultOrigin given`);
  const { auth, capabilities: caps } = def;
  if (auth?.kind === 'oauth2') {
    for (const url of [auth.authorizeUrl, auth.tokenUrl]) need(/^(\{origin\}|https:\/\/)/.test(url), `OAuth URL "${url}" must start with https:// or {origin}`);
    need(Array.isArray(auth.scopes), 'auth.scopes must be a list');
    if (auth.client === 'dynamic') need(def.registerClient, 'auth.client is "dynamic", so registerClient is required');
  } else if (auth?.kind === 'credentials') {
    need(auth.fields?.type === 'object', 'auth.fields must be a JSON Schema of an object');
    if (auth.refresh) need(def.refreshCredentials, 'auth.refresh is true, so refreshCredentials is required');
  } else {
    out.push('auth.kind must be "oauth2" or "credentials"');
  }
  if (!caps) return [...out, 'capabilities are missing'];
  need(positiveInt(caps.text?.maxLength), 'capabilities.text.maxLength must be a positive integer');
  need(['graphemes', 'characters', 'bytes'].includes(caps.text?.unit), 'capabilities.text.unit must be graphemes, characters or bytes');
  need(caps.text?.urlLength === undefined || positiveInt(caps.text.urlLength), 'capabilities.text.urlLength must be a positive integer');
  need(Number.isInteger(caps.media?.maxItems) && caps.media.maxItems >= 0, 'capabilities.media.maxItems must be an integer >= 0');
  need(caps.media?.maxItems === 0 || (caps.media?.types?.length ?? 0) > 0, 'capabilities.media.types must list the accepted MIME types');
  need(Object.values(caps.media?.maxBytesByType ?? {}).every(positiveInt), 'capabilities.media.maxBytesByType values must be positive integers');
  need(caps.threads === false || positiveInt(caps.threads?.maxPosts), 'capabilities.threads must be false or { maxPosts }');
  if (caps.article !== undefined) {
    const a = caps.article;
    need(positiveInt(a?.titleMaxLength), 'capabilities.article.titleMaxLength must be a positive integer');
    need(positiveInt(a?.labelMaxLength), 'capabilities.article.labelMaxLength must be a positive integer');
    need(Number.isInteger(a?.excerptMaxLength) && a.excerptMaxLength >= 0, 'capabilities.article.excerptMaxLength must be an integer >= 0');
    need(Array.isArray(a?.formats) && a.formats.length > 0 && a.formats.every((f) => ARTICLE_FORMATS.includes(f)), `capabilities.article.formats must list some of ${ARTICLE_FORMATS.join(', ')}`);
  }
  need(!caps.delete || def.delete, 'capabilities.delete is true, so delete is required');
  need(caps.metrics.every((m) => METRIC_NAMES.includes(m)), `capabilities.metrics must be among ${METRIC_NAMES.join(', ')}`);
  need(caps.metrics.length === 0 || def.fetchMetrics, 'capabilities.metrics is not empty, so fetchMetrics is required');
  need(!caps.comments || (def.fetchComments && def.reply), 'capabilities.comments is true, so fetchComments and reply are required');
  need(!caps.channels || def.listChannels, 'capabilities.channels is true, so listChannels is required');
  need(['platform', 'none'].includes(caps.publishIdempotency), 'capabilities.publishIdempotency must be "platform" or "none"');
  for (const p of caps.rateLimits ?? []) need(/^[A-Za-z0-9_.-]+$/.test(p.name) && positiveInt(p.limit) && positiveInt(p.windowSeconds), `rate limit "${p.name}" needs a name, a positive limit and windowSeconds`);
  return out;
}

/** Publishing turns a ContentRejected into a `failed` result: the content, not the call, is the problem. */
async function settle(run: () => Promise<PublishResult>): Promise<PublishResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ContentRejected) return { status: 'failed', code: 'CONTENT_REJECTED', reason: err.reason };
    throw err;
  }
}

function requireKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) throw new TypeError('publish needs an idempotency key of 1 to 200 characters');
}

/**
 * Declares a connector. Checks the declaration (operations present for every declared
 * capability, limits well-formed) and fills in the SDK's defaults, so that mistakes fail
 * when the connector is loaded, with a message naming it, not at the first publish.
 */
export function defineConnector<A>(def: ConnectorDefinition<A>): Connector<A> {
  const problems = definitionProblems(def as ConnectorDefinition<unknown>);
  if (problems.length) throw new TypeError(`connector "${String(def.id)}": ${problems.join('; ')}`);
  const { auth, capabilities } = def;
  const custom = def.validate;
  const connector: Connector<A> = {
    ...def,
    capabilities: structuredClone(capabilities),
    validate: (draft) => [...checkDraft(draft, capabilities), ...(custom ? custom(draft) : [])],
    publish: (ctx, req) => {
      requireKey(req.idempotencyKey);
      return settle(() => def.publish(ctx, req));
    },
    ...(def.reply ? { reply: (ctx: ConnectorContext, req: { inReplyTo: string; text: string; idempotencyKey: string }) => (requireKey(req.idempotencyKey), settle(() => def.reply!(ctx, req))) } : {}),
    ...(auth.kind === 'oauth2' ? { exchangeCode: def.exchangeCode ?? ((ctx, req) => exchangeAuthorizationCode(ctx, auth, req)) } : {}),
    ...(auth.kind === 'oauth2' && auth.refresh ? { refreshCredentials: def.refreshCredentials ?? ((ctx) => refreshAccessToken(ctx, auth)) } : {}),
    ...(auth.kind === 'credentials' ? { signIn: def.signIn ?? (async (_ctx, fields) => ({ fields })) } : {}),
    describe: () => ({
      id: def.id,
      name: def.name,
      version: def.version,
      contractVersion: def.contractVersion,
      auth: structuredClone(auth),
      setup: def.setup ? structuredClone(def.setup.schema) : null,
      capabilities: structuredClone(capabilities),
    }),
    [CONNECTOR]: true,
  };
  return Object.freeze(connector);
}

/** For hosts: checks that a contribution really is a connector made by `defineConnector`. */
export function assertConnector(value: unknown): asserts value is Connector {
  if (!isConnector(value)) throw new TypeError('a connector must be the value of defineConnector({...})');
  const problems = definitionProblems(value as unknown as ConnectorDefinition<unknown>);
  if (problems.length) throw new TypeError(`connector "${value.id}": ${problems.join('; ')}`);
}
