import type { JsonSchema } from '@markettina/sdk';

/** Deployment settings of the identity plugin (its `config` in the deployment file). */
export interface IdentityConfig {
  /** `iss` of access tokens. */
  issuer: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  trustedDeviceTtlSeconds: number;
  adminSessionTtlSeconds: number;
  /** scrypt cost for new password hashes; older hashes keep theirs. */
  passwordHashing: { N: number; r: number; p: number };
  /** Login attempts per account, and per email (or trusted device) within an account. */
  login: { perAccount: Budget; perEmail: Budget };
  /** Create a demo tenant and print its admin API key once: only with the embedded database, always, or never. */
  demoTenant: 'embedded' | 'always' | 'never';
}

interface Budget {
  limit: number;
  windowSeconds: number;
}

const budget = (limit: number, windowSeconds: number) => ({
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: 100000 }, windowSeconds: { type: 'integer', minimum: 1, maximum: 86400 } },
  required: ['limit', 'windowSeconds'],
  additionalProperties: false,
  default: { limit, windowSeconds },
});

export const deploymentSchema: JsonSchema = {
  type: 'object',
  properties: {
    issuer: { type: 'string', minLength: 1, maxLength: 200, default: 'markettina' },
    accessTokenTtlSeconds: { type: 'integer', minimum: 30, maximum: 86400, default: 900 },
    refreshTokenTtlSeconds: { type: 'integer', minimum: 60, maximum: 31536000, default: 2592000 },
    trustedDeviceTtlSeconds: { type: 'integer', minimum: 60, maximum: 31536000, default: 7776000 },
    adminSessionTtlSeconds: { type: 'integer', minimum: 60, maximum: 86400, default: 28800 },
    passwordHashing: {
      type: 'object',
      properties: {
        N: { type: 'integer', enum: [1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072] },
        r: { type: 'integer', minimum: 1, maximum: 32 },
        p: { type: 'integer', minimum: 1, maximum: 16 },
      },
      required: ['N', 'r', 'p'],
      additionalProperties: false,
      default: { N: 32768, r: 8, p: 1 },
    },
    login: {
      type: 'object',
      properties: { perAccount: budget(100, 60), perEmail: budget(10, 900) },
      additionalProperties: false,
      default: {},
    },
    demoTenant: { enum: ['embedded', 'always', 'never'], default: 'embedded' },
  },
  additionalProperties: false,
};
