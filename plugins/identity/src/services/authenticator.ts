import type { Knex } from 'knex';
import { ProblemError, type AccountsService, type AuthenticationPort, type Principal, type TenancyService } from '@markettina/sdk';
import { parseCredential } from '../domain/credentials.js';
import type { AccessClaims, AccessTokens } from './access-tokens.js';
import type { Admins } from './admins.js';
import type { ApiKeyStore } from './api-keys.js';
import type { PermissionCatalog } from './catalog.js';

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The kernel's authentication port. API keys (`mk_`), admin sessions (`mka_`) and access
 * tokens (JWT) are all checked against the database on every request: revocations, role
 * changes and disabled users take effect at once on every node.
 */
export class Authenticator implements AuthenticationPort {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly accounts: AccountsService,
    private readonly catalog: PermissionCatalog,
    private readonly apiKeys: ApiKeyStore,
    private readonly tokens: AccessTokens,
    private readonly admins: Admins,
  ) {}

  async authenticate(credential: string): Promise<Principal | undefined> {
    const opaque = parseCredential(credential, ['api_key', 'admin_session']);
    if (opaque?.kind === 'admin_session') return this.admins.principal(opaque);
    if (opaque?.kind === 'api_key') return this.inTenant(opaque.accountId!, (db) => this.apiKeys.principal(db, opaque));
    if (!JWT.test(credential)) return undefined;
    const claims = await this.tokens.verify(credential);
    if (!claims) return undefined;
    // A switched token's principal lives in the parent account; that is where it is checked.
    const permissions = await this.inTenant(claims.pac ?? claims.acc, async (db) => {
      const held = await this.heldBy(db, claims);
      if (held && claims.pac) {
        const child = await this.accounts.get(claims.acc, db);
        if (child?.parentId !== claims.pac) return undefined;
      }
      return held;
    });
    return permissions && { id: claims.sub, type: claims.pty, accountId: claims.acc, permissions };
  }

  /** Claims of the access token in an Authorization header value, for routes that need the session. */
  claimsOf(authorization: string | undefined): Promise<AccessClaims | undefined> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    return token && JWT.test(token) ? this.tokens.verify(token) : Promise.resolve(undefined);
  }

  private async heldBy(db: Knex.Transaction, claims: AccessClaims): Promise<string[] | undefined> {
    if (claims.pty === 'api_key') {
      const scopes = await this.apiKeys.scopesOf(db, claims.sub);
      return scopes && this.catalog.ofScopes(scopes);
    }
    let q = db('identity_users as u')
      .join('identity_roles as r', function () {
        this.on('r.account_id', 'u.account_id').andOn('r.id', 'u.role_id');
      })
      .where('u.id', claims.sub)
      .where('u.status', 'active');
    if (claims.sid) {
      q = q.whereExists(db('identity_sessions as s').whereRaw('s.account_id = u.account_id and s.user_id = u.id').where('s.id', claims.sid).whereNull('s.revoked_at').where('s.expires_at', '>', db.fn.now()));
    }
    const role = await q.first<{ key: string; builtin: boolean; permissions: string[] } | undefined>('r.key', 'r.builtin', 'r.permissions');
    return role && this.catalog.ofRole(role);
  }

  /** An unknown account is an unknown credential, not an error. */
  private async inTenant<T>(accountId: string, fn: (db: Knex.Transaction) => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await this.tenancy.withTenant(accountId, fn);
    } catch (err) {
      if (err instanceof ProblemError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  /** Tooling (the test kit): a real API key holding exactly `permissions`. */
  async issue(request: { accountId: string; permissions: string[]; id?: string }): Promise<{ token: string; principal: Principal }> {
    const { key, apiKey } = await this.tenancy.withTenant(request.accountId, (db) =>
      this.apiKeys.create(db, request.accountId, { name: 'issued credential', scopes: request.permissions, ...(request.id ? { id: request.id } : {}) }),
    );
    return { token: key, principal: { id: apiKey.id, type: 'api_key', accountId: request.accountId, permissions: this.catalog.ofScopes(apiKey.scopes) } };
  }
}
