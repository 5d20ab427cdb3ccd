import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { coreServices, definePlugin, type Principal, type PluginDefinition } from '../index.js';

/**
 * The test kit's implementation of the kernel's authentication port: HMAC-signed bearer
 * tokens naming an account, a principal and its permissions. Real crypto, no identity
 * plugin needed; a test that wants real users installs the identity plugin instead.
 */
export class TestTokens {
  private readonly key = randomBytes(32);

  issue(principal: Principal): string {
    const body = Buffer.from(JSON.stringify(principal)).toString('base64url');
    return `test_${body}.${this.sign(body)}`;
  }

  verify(token: string): Principal | undefined {
    const m = /^test_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
    if (!m) return undefined;
    const expected = Buffer.from(this.sign(m[1]!));
    const given = Buffer.from(m[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as Principal;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

export function testAuthPlugin(tokens: TestTokens): PluginDefinition {
  return definePlugin({
    manifest: { id: 'test-auth', version: '0.0.0', kernel: '^1.0.0', provides: [coreServices.authentication] },
    register(reg) {
      reg.provide(coreServices.authentication, () => ({ authenticate: async (token: string) => tokens.verify(token) }));
    },
  });
}
