import { randomBytes } from 'node:crypto';
import type { SecretBox, TenancyService } from '@markettina/sdk';

interface KeyRow {
  kid: string;
  sealed_secret: string;
}

/**
 * HMAC secrets that sign access tokens, shared by every node through the database and
 * sealed at rest with the deployment's secret box. The newest key signs; every stored key
 * verifies, so adding a key (rotation) never invalidates tokens in flight.
 */
export class SigningKeys {
  private readonly byKid = new Map<string, Uint8Array>();
  private current: { kid: string; secret: Uint8Array } | undefined;

  constructor(
    private readonly tenancy: TenancyService,
    private readonly secrets: SecretBox,
  ) {}

  private open(row: KeyRow): Uint8Array {
    const secret = new Uint8Array(Buffer.from(this.secrets.open(row.sealed_secret, `identity:signing:${row.kid}`), 'base64'));
    this.byKid.set(row.kid, secret);
    return secret;
  }

  async signing(): Promise<{ kid: string; secret: Uint8Array }> {
    if (this.current) return this.current;
    const row = await this.tenancy.withoutTenant(async (db) => {
      const newest = () => db<KeyRow & { created_at: Date }>('identity_signing_keys').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'kid', order: 'desc' }]).first();
      const existing = await newest();
      if (existing) return existing;
      const kid = randomBytes(8).toString('hex');
      const sealed_secret = this.secrets.seal(randomBytes(32).toString('base64'), `identity:signing:${kid}`);
      // Two nodes may race to create the first key; both then sign with whichever is newest.
      await db('identity_signing_keys').insert({ kid, sealed_secret }).onConflict('kid').ignore();
      return (await newest())!;
    });
    this.current = { kid: row.kid, secret: this.open(row) };
    return this.current;
  }

  async verifying(kid: string): Promise<Uint8Array | undefined> {
    const cached = this.byKid.get(kid);
    if (cached) return cached;
    const row = await this.tenancy.withoutTenant((db) => db<KeyRow>('identity_signing_keys').where({ kid }).first());
    return row && this.open(row);
  }
}
