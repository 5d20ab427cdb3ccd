/**
 * The identity plugin's public contract: service refs, event types with their payload
 * schemas, and permission ids. Other plugins import this entry point
 * (`@markettina/plugin-identity/contracts`), never the implementation. No logic here.
 */
import { createServiceRef, timestamp, uuid, type PermissionDeclaration, type ServiceRef } from '@markettina/sdk';

export const IDENTITY_PLUGIN_ID = 'identity';

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  emailVerified: boolean;
  roleKey: string;
  status: 'active' | 'disabled';
}

/** Read access to the users of the current tenant (request scope: uses the request's transaction). */
export interface UsersDirectory {
  get(userId: string): Promise<UserView | undefined>;
  findByEmail(email: string): Promise<UserView | undefined>;
}

export const identityServices = {
  /** The current tenant's users, read-only. */
  users: createServiceRef<UsersDirectory>({ id: 'identity.users', scope: 'request' }) as ServiceRef<UsersDirectory> & { scope: 'request' },
};

export const PERMISSIONS = {
  accountRead: 'identity.account:read',
  accountsRead: 'identity.accounts:read',
  accountsWrite: 'identity.accounts:write',
  accountsSwitch: 'identity.accounts:switch',
  usersRead: 'identity.users:read',
  usersWrite: 'identity.users:write',
  rolesRead: 'identity.roles:read',
  rolesWrite: 'identity.roles:write',
  apiKeysRead: 'identity.api-keys:read',
  apiKeysWrite: 'identity.api-keys:write',
  platformAdmin: 'identity.platform:admin',
} as const;

export const PERMISSION_DECLARATIONS: PermissionDeclaration[] = [
  { id: PERMISSIONS.accountRead, description: 'Read the account and which plugins it has enabled' },
  { id: PERMISSIONS.accountsRead, description: 'List sub-accounts' },
  { id: PERMISSIONS.accountsWrite, description: 'Create sub-accounts' },
  { id: PERMISSIONS.accountsSwitch, description: 'Act in a sub-account (an explicit, audited switch)' },
  { id: PERMISSIONS.usersRead, description: 'List and read users and their trusted devices' },
  { id: PERMISSIONS.usersWrite, description: 'Invite, change, disable users; assign roles; revoke sessions and devices' },
  { id: PERMISSIONS.rolesRead, description: 'List roles and the permissions they grant' },
  { id: PERMISSIONS.rolesWrite, description: 'Create, change and delete custom roles' },
  { id: PERMISSIONS.apiKeysRead, description: 'List API keys (never their secrets)' },
  { id: PERMISSIONS.apiKeysWrite, description: 'Create and revoke API keys' },
  { id: PERMISSIONS.platformAdmin, description: 'Administer the platform: accounts, plans, plugins, administrators, audit log', platform: true },
];

export const EVENTS = {
  accountCreated: 'identity.AccountCreated',
  accountPlanChanged: 'identity.AccountPlanChanged',
  userRegistered: 'identity.UserRegistered',
  userRoleChanged: 'identity.UserRoleChanged',
} as const;

const planTier = { enum: ['free', 'starter', 'pro', 'enterprise'] } as const;

/** Payload schemas; events are published in the tenant they concern. */
export const EVENT_SCHEMAS = {
  [EVENTS.accountCreated]: {
    type: 'object',
    properties: { accountId: uuid, name: { type: 'string' }, planTier, parentId: { anyOf: [uuid, { type: 'null' }] }, createdAt: timestamp },
    required: ['accountId', 'name', 'planTier', 'parentId', 'createdAt'],
    additionalProperties: false,
  },
  [EVENTS.accountPlanChanged]: {
    type: 'object',
    properties: { accountId: uuid, from: planTier, to: planTier },
    required: ['accountId', 'from', 'to'],
    additionalProperties: false,
  },
  [EVENTS.userRegistered]: {
    type: 'object',
    properties: { userId: uuid, email: { type: 'string' }, roleKey: { type: 'string' } },
    required: ['userId', 'email', 'roleKey'],
    additionalProperties: false,
  },
  [EVENTS.userRoleChanged]: {
    type: 'object',
    properties: { userId: uuid, from: { type: 'string' }, to: { type: 'string' } },
    required: ['userId', 'from', 'to'],
    additionalProperties: false,
  },
} as const;

export interface AccountCreatedData extends Record<string, unknown> {
  accountId: string;
  name: string;
  planTier: string;
  parentId: string | null;
  createdAt: string;
}
