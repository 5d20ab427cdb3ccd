/**
 * The built-in roles (seed 004), as data. Each is a set of permission patterns, minus
 * exceptions; the patterns are resolved against the installed plugins' permissions on
 * every request, so a role keeps meaning the same thing as plugins come and go. No role
 * grants platform permissions: those belong to platform administrators only.
 */
export interface RoleDefinition {
  name: string;
  description: string;
  grants: readonly string[];
  except?: readonly string[];
}

const read = (...plugins: string[]) => plugins.map((p) => `${p}.*:read`);
const write = (...plugins: string[]) => plugins.map((p) => `${p}.*:write`);

export const BUILTIN_ROLES = {
  super_admin: {
    name: 'Super admin',
    description: 'Everything in the account, including its sub-accounts and roles',
    grants: ['*'],
  },
  admin: {
    name: 'Admin',
    description: 'Everything in the account except creating sub-accounts',
    grants: ['*'],
    except: ['identity.accounts:write'],
  },
  sales: {
    name: 'Sales',
    description: 'Leads, interactions and quotes',
    grants: [...read('crm'), ...write('crm'), 'pages.submissions:read', 'identity.account:read'],
  },
  marketing: {
    name: 'Marketing',
    description: 'Campaigns, content, social, email and landing pages; reads leads and analytics',
    grants: [
      'crm.leads:read',
      ...read('campaigns', 'content', 'social', 'email', 'pages', 'ai', 'analytics', 'workflow'),
      ...write('campaigns', 'content', 'social', 'email', 'pages', 'ai'),
      'identity.account:read',
    ],
  },
  editor: {
    name: 'Editor',
    description: 'Creates and edits content, pages and knowledge; reads campaigns',
    grants: [...read('content', 'social', 'pages', 'knowledge', 'ai', 'campaigns'), ...write('content', 'pages', 'knowledge', 'ai'), 'identity.account:read'],
  },
  viewer: {
    name: 'Viewer',
    description: 'Reads everything except users and API keys',
    grants: ['*:read'],
    except: ['identity.users:*', 'identity.api-keys:*'],
  },
} as const satisfies Record<string, RoleDefinition>;

export type BuiltinRoleKey = keyof typeof BUILTIN_ROLES;

export const BUILTIN_ROLE_KEYS = Object.keys(BUILTIN_ROLES) as BuiltinRoleKey[];

export const isBuiltinRole = (key: string): key is BuiltinRoleKey => Object.hasOwn(BUILTIN_ROLES, key);

/** Custom role keys: lower-case, not one of the built-in keys. */
export const ROLE_KEY = /^[a-z][a-z0-9_-]{1,49}$/;
