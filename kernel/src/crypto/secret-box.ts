import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretBox } from '@markettina/sdk';

const VERSION = 'v1';

/**
 * AES-256-GCM with a key id in every sealed value, so keys can rotate: new values use the
 * active key, old values open with whichever key sealed them.
 * Format: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export class AesGcmSecretBox implements SecretBox {
  private readonly keys = new Map<string, Buffer>();

  constructor(keys: Record<string, string>, private readonly activeKeyId: string) {
    for (const [id, b64] of Object.entries(keys)) {
      const key = Buffer.from(b64, 'base64');
      if (key.length !== 32) throw new Error(`secret key "${id}" must be 32 bytes of base64 (got ${key.length} bytes)`);
      if (id.includes('.')) throw new Error(`secret key id "${id}" must not contain "."`);
      this.keys.set(id, key);
    }
    if (!this.keys.has(activeKeyId)) throw new Error(`secrets.activeKeyId "${activeKeyId}" is not among secrets.keys`);
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  seal(plaintext: string, associatedData = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, ct, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return [VERSION, this.activeKeyId, ...parts].join('.');
  }

  open(sealed: string, associatedData = ''): string {
    const [version, keyId, iv, ct, tag] = sealed.split('.');
    if (version !== VERSION || !keyId || iv === undefined || ct === undefined || tag === undefined) {
      throw new Error('sealed value is malformed');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`sealed value uses unknown key id "${keyId}"`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}
