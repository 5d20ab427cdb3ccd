import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AesGcmSecretBox } from '@markettina/kernel';

describe('secret box (AES-256-GCM with key ids)', () => {
  const k1 = AesGcmSecretBox.generateKey();
  const k2 = AesGcmSecretBox.generateKey();

  test('round-trips, and each seal uses a fresh IV', () => {
    const box = new AesGcmSecretBox({ k1 }, 'k1');
    const a = box.seal('refresh-token-123', 'acct:social');
    const b = box.seal('refresh-token-123', 'acct:social');
    assert.notEqual(a, b);
    assert.ok(!a.includes('refresh-token-123'));
    assert.equal(box.open(a, 'acct:social'), 'refresh-token-123');
  });

  test('tampering or the wrong associated data is detected', () => {
    const box = new AesGcmSecretBox({ k1 }, 'k1');
    const sealed = box.seal('s3cret', 'tenant-a');
    assert.throws(() => box.open(sealed, 'tenant-b'));
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0]! ^= 1;
    parts[3] = ct.toString('base64url');
    assert.throws(() => box.open(parts.join('.'), 'tenant-a'));
  });

  test('rotation: new values use the active key, old ones still open', () => {
    const old = new AesGcmSecretBox({ k1 }, 'k1').seal('legacy');
    const rotated = new AesGcmSecretBox({ k1, k2 }, 'k2');
    assert.match(rotated.seal('fresh'), /^v1\.k2\./);
    assert.equal(rotated.open(old), 'legacy');
    assert.throws(() => new AesGcmSecretBox({ k2 }, 'k2').open(old), /unknown key id "k1"/);
  });

  test('rejects keys that are not 32 bytes', () => {
    assert.throws(() => new AesGcmSecretBox({ k1: Buffer.alloc(16).toString('base64') }, 'k1'), /32 bytes/);
  });
});
