import { CONNECTOR_CONTRACT_VERSION, defineConnector, ReconnectRequired, type ConnectorContext } from '@markettina/sdk';
import { adapt, type GhostPost } from './adapt.js';
import { adminRoot, call, type GhostSite } from './api.js';
import { capabilities } from './capabilities.js';
import { reason } from './errors.js';
import { checkStatus, deletePost, fetchMetrics, publish } from './publish.js';
import { ADMIN_KEY_PATTERN } from './token.js';

/**
 * Whether the key opens the Admin API. /site/ answers anyone, so a call that needs the key
 * (one post id) tells whether it is still good.
 */
async function checkKey(ctx: ConnectorContext, adminApiKey?: string): Promise<void> {
  const res = await call(ctx, { method: 'GET', path: '/posts/', query: { limit: '1', fields: 'id' }, ...(adminApiKey ? { adminApiKey } : {}), accept: adminApiKey ? [401, 403, 404] : [] });
  if (res.status === 404) throw new ReconnectRequired(`there is no Ghost Admin API at ${adminRoot(ctx)}; check the API URL`, 404);
  if (res.status !== 200) throw new ReconnectRequired(`Ghost refused the Admin API key: ${reason(res) ?? `HTTP ${res.status}`}`, res.status);
}

export const ghostConnector = defineConnector<GhostPost>({
  contractVersion: CONNECTOR_CONTRACT_VERSION,
  id: 'ghost',
  name: 'Ghost',
  version: '0.1.0',
  setup: {
    schema: {
      type: 'object',
      properties: { apiUrl: { type: 'string', format: 'uri', maxLength: 255, description: "The site's API URL, shown with the Admin API key under Settings → Integrations, e.g. https://blog.example.com" } },
      required: ['apiUrl'],
      additionalProperties: false,
    },
    originField: 'apiUrl',
  },
  auth: {
    kind: 'credentials',
    fields: {
      type: 'object',
      properties: { adminApiKey: { type: 'string', pattern: ADMIN_KEY_PATTERN, description: 'The Admin API key of a custom integration (Settings → Integrations), `<id>:<secret>`' } },
      required: ['adminApiKey'],
      additionalProperties: false,
    },
    // The key signs a fresh five-minute token for every request; the key itself does not expire.
    refresh: false,
  },
  capabilities,
  errors: { reason },
  adapt,

  async signIn(ctx, fields) {
    await checkKey(ctx, fields.adminApiKey);
    return { fields: { ...fields } };
  },

  async identify(ctx) {
    await checkKey(ctx);
    const site = (await call(ctx, { method: 'GET', path: '/site/' })).json<{ site: GhostSite }>().site;
    // The site is the account: an integration publishes as the site, and a new key for it is the same account.
    const url = new URL(site.url);
    return { externalId: `${url.host}${url.pathname.replace(/\/+$/, '')}`, displayName: site.title, handle: url.host, profileUrl: site.url };
  },

  publish,
  checkStatus,
  delete: deletePost,
  fetchMetrics,
});
