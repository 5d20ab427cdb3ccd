import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { problems, type Principal } from '@markettina/sdk';
import { displayPrefix, newCredential, secretMatches, type Credential } from '../domain/credentials.js';
import { coveredBy, patternProblems } from '../domain/permissions.js';
import type { PermissionCatalog } from './catalog.js';
import { newestFirst, type Page, type PageRequest } from './pagination.js';

interface ApiKeyRow {
  account_id: string;
  id: string;
  name: string;
  prefix: string;
  secret_hash: Buffer;
  scopes: string[];
  created_by: string | null;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface NewApiKey {
  name: string;
  scopes: string[];
  expiresAt?: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const view = (r: ApiKeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: r.scopes,
  createdBy: r.created_by,
  expiresAt: iso(r.expires_at),
  lastUsedAt: iso(r.last_used_at),
  revokedAt: iso(r.revoked_at),
  createdAt: r.created_at.toISOString(),
});
const COLUMNS = ['account_id', 'id', 'name', 'prefix', 'scopes', 'created_by', 'expires_at', 'last_used_at', 'revoked_at', 'created_at'];

/**
 * API keys: shown once, stored as a SHA-256 of their secret, looked up by the id they
 * carry. Every request checks the key in the database, so a revocation is effective on
 * every node with the next request.
 */
export class ApiKeyStore {
  constructor(private readonly catalog: PermissionCatalog) {}

  /** Creates a key; `held` (the creator's permissions) bounds its scopes unless the kernel's tooling asks. */
  async create(db: Knex.Transaction, accountId: string, input: NewApiKey & { id?: string; createdBy?: string | null }, held?: readonly string[]): Promise<{ key: string; apiKey: ApiKeyView }> {
    const scopes = [...new Set(input.scopes)].sort();
    if (held) {
      const found = patternProblems(scopes, this.catalog.all());
      if (found.length) throw problems.invalid('SCOPES_INVALID', found.join('; '), { problems: found });
      if (!coveredBy(scopes, held, this.catalog.all())) throw problems.forbidden('an API key can only hold permissions you hold yourself', 'PERMISSION_ESCALATION');
    }
    if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) throw problems.invalid('EXPIRY_IN_PAST', 'expiresAt must be in the future');
    const id = input.id ?? randomUUID();
    const { token, secretHash } = newCredential('api_key', id, accountId);
    const [row] = await db<ApiKeyRow>('identity_api_keys')
      .insert({ account_id: accountId, id, name: input.name, prefix: displayPrefix(token), secret_hash: secretHash, scopes, created_by: input.createdBy ?? null, expires_at: input.expiresAt ? new Date(input.expiresAt) : null })
      .returning(COLUMNS);
    return { key: token, apiKey: view(row as ApiKeyRow) };
  }

  list(db: Knex.Transaction, page: PageRequest): Promise<Page<ApiKeyView>> {
    return newestFirst(db('identity_api_keys').select(COLUMNS), page, view);
  }

  async revoke(db: Knex.Transaction, id: string): Promise<ApiKeyView> {
    const [row] = await db<ApiKeyRow>('identity_api_keys').where({ id }).update({ revoked_at: db.raw('coalesce(revoked_at, now())') as never }).returning(COLUMNS);
    if (!row) throw problems.notFound('API key');
    return view(row as ApiKeyRow);
  }

  /** The principal of a key, if it is known, unrevoked and unexpired; marks it used (at most once a minute). */
  async principal(db: Knex.Transaction, credential: Credential): Promise<Principal | undefined> {
    const { rows } = await db.raw<{ rows: ApiKeyRow[] }>(
      `with k as (
         select * from identity_api_keys
         where id = ? and revoked_at is null and (expires_at is null or expires_at > now())
       ), touched as (
         update identity_api_keys a set last_used_at = now()
         from k where a.account_id = k.account_id and a.id = k.id and (k.last_used_at is null or k.last_used_at < now() - interval '1 minute')
       )
       select * from k`,
      [credential.id],
    );
    const row = rows[0];
    if (!row || !secretMatches(credential.secret, row.secret_hash)) return undefined;
    return { id: row.id, type: 'api_key', accountId: row.account_id, permissions: this.catalog.ofScopes(row.scopes) };
  }

  /** The live scopes of a key, for switching into a sub-account with it. */
  async scopesOf(db: Knex.Transaction, id: string): Promise<string[] | undefined> {
    const row = await db<ApiKeyRow>('identity_api_keys').where({ id }).whereNull('revoked_at').andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', db.fn.now())).first('scopes');
    return row?.scopes;
  }
}
