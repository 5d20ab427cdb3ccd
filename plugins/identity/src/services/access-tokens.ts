import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { SigningKeys } from './signing-keys.js';

/** What an access token says; the database still decides on every request whether it holds. */
export interface AccessClaims {
  /** The principal's id: a user or an API key. */
  sub: string;
  pty: 'user' | 'api_key';
  /** The account the token acts in. */
  acc: string;
  /** The session (refresh-token family) of a user's token. */
  sid?: string;
  /** Set on a token from an explicit switch: the parent account the principal belongs to. */
  pac?: string;
}

const ALG = 'HS256';

/** Short-lived JWT access tokens (jose), HMAC-signed with the shared signing keys. */
export class AccessTokens {
  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
  ) {}

  async issue(claims: AccessClaims): Promise<{ token: string; expiresIn: number }> {
    const { kid, secret } = await this.keys.signing();
    const token = await new SignJWT({ pty: claims.pty, acc: claims.acc, ...(claims.sid ? { sid: claims.sid } : {}), ...(claims.pac ? { pac: claims.pac } : {}) })
      .setProtectedHeader({ alg: ALG, kid, typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setSubject(claims.sub)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(secret);
    return { token, expiresIn: this.ttlSeconds };
  }

  /** The claims of a valid, unexpired token of this deployment; undefined for anything else. */
  async verify(token: string): Promise<AccessClaims | undefined> {
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = header.kid ? await this.keys.verifying(header.kid) : undefined;
          if (!key) throw new errors.JWKSNoMatchingKey();
          return key;
        },
        { issuer: this.issuer, algorithms: [ALG], typ: 'at+jwt' },
      );
      const { sub, pty, acc, sid, pac } = payload as Record<string, unknown>;
      if (typeof sub !== 'string' || (pty !== 'user' && pty !== 'api_key') || typeof acc !== 'string') return undefined;
      return { sub, pty, acc, ...(typeof sid === 'string' ? { sid } : {}), ...(typeof pac === 'string' ? { pac } : {}) };
    } catch (err) {
      if (err instanceof errors.JOSEError) return undefined;
      throw err;
    }
  }
}
