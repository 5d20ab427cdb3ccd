import { CONNECTOR_CONTRACT_VERSION, defineConnector, ReconnectRequired, type ConnectorContext } from '@markettina/sdk';
import { adapt, type WordPressPost } from './adapt.js';
import { basicAuth, call, restRoot, type WpUser } from './api.js';
import { capabilities } from './capabilities.js';
import { reason } from './errors.js';
import { checkStatus, deletePost, fetchMetrics, publish } from './publish.js';

/** The user the fields sign in as, or why WordPress would not say. */
async function whoSignsIn(ctx: ConnectorContext, fields: Record<string, string>): Promise<WpUser> {
  const res = await call(ctx, { method: 'GET', path: '/wp/v2/users/me', query: { context: 'edit' }, headers: { authorization: basicAuth(fields) }, accept: [401, 403, 404] });
  if (res.status === 404) throw new ReconnectRequired(`there is no WordPress REST API at ${restRoot(ctx)}; check the site address`, 404);
  if (res.status !== 200) throw new ReconnectRequired(`WordPress refused the user name or application password: ${reason(res) ?? `HTTP ${res.status}`}`, res.status);
  try {
    return res.json<WpUser>();
  } catch {
    throw new ReconnectRequired(`${restRoot(ctx)} does not answer as WordPress does; check the site address`);
  }
}

export const wordpressConnector = defineConnector<WordPressPost>({
  contractVersion: CONNECTOR_CONTRACT_VERSION,
  id: 'wordpress',
  name: 'WordPress',
  version: '0.1.0',
  setup: {
    schema: {
      type: 'object',
      properties: { site: { type: 'string', format: 'uri', maxLength: 255, description: 'The WordPress site, e.g. https://blog.example.com (with its folder, if WordPress lives in one)' } },
      required: ['site'],
      additionalProperties: false,
    },
    originField: 'site',
  },
  auth: {
    kind: 'credentials',
    fields: {
      type: 'object',
      properties: {
        username: { type: 'string', minLength: 1, maxLength: 100, description: 'The WordPress user name (or e-mail address) to publish as' },
        applicationPassword: { type: 'string', minLength: 1, maxLength: 100, description: "An application password from the user's profile (Users → Profile → Application Passwords), not the login password" },
      },
      required: ['username', 'applicationPassword'],
      additionalProperties: false,
    },
    // Application passwords do not expire; they are revoked.
    refresh: false,
  },
  capabilities,
  errors: { reason },
  adapt,

  async signIn(ctx, fields) {
    const user = await whoSignsIn(ctx, fields);
    if (user.capabilities && !user.capabilities.edit_posts) throw new ReconnectRequired(`the WordPress user ${user.slug} may not write posts; connect a user with the Author role or higher`);
    return { fields: { ...fields } };
  },

  async identify(ctx) {
    const me = (await call(ctx, { method: 'GET', path: '/wp/v2/users/me' })).json<WpUser>();
    const site = restRoot(ctx).replace(/^https?:\/\//, '').replace(/\/wp-json$/, '');
    return { externalId: `${me.id}@${site}`, displayName: me.name || me.slug, handle: me.slug, profileUrl: me.link };
  },

  publish,
  checkStatus,
  delete: deletePost,
  fetchMetrics,
});
