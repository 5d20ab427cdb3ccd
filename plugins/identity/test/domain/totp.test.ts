import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { base32Decode, base32Encode, hotp, otpauthUri, totpAt, verifyTotp } from '../../src/domain/totp.js';

const RFC_SECRET = Buffer.from('12345678901234567890');

describe('TOTP (RFC 6238)', () => {
  test('matches the RFC 6238 SHA-1 test vectors (8 digits)', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of vectors) assert.equal(totpAt(RFC_SECRET, seconds * 1000, { digits: 8 }), code, `T=${seconds}`);
  });

  test('matches the RFC 4226 HOTP values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => assert.equal(hotp(RFC_SECRET, counter), code));
  });

  test('accepts the codes of one step before and after, and rejects two steps away', () => {
    const now = 1_700_000_015_000; // mid-step: skew is measured in whole steps
    const at = (offsetSteps: number) => totpAt(RFC_SECRET, now + offsetSteps * 30_000);
    const step = Math.floor(now / 30_000);
    assert.equal(verifyTotp(RFC_SECRET, at(0), now), step);
    assert.equal(verifyTotp(RFC_SECRET, at(-1), now), step - 1);
    assert.equal(verifyTotp(RFC_SECRET, at(1), now), step + 1);
    assert.equal(verifyTotp(RFC_SECRET, at(-2), now), undefined);
    assert.equal(verifyTotp(RFC_SECRET, at(2), now), undefined);
  });

  test('a code is not accepted again once its step (or a later one) was used', () => {
    const now = 1_700_000_015_000;
    const step = Math.floor(now / 30_000);
    const code = totpAt(RFC_SECRET, now);
    assert.equal(verifyTotp(RFC_SECRET, code, now, { afterStep: step - 1 }), step);
    assert.equal(verifyTotp(RFC_SECRET, code, now, { afterStep: step }), undefined);
    assert.equal(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, now - 30_000), now, { afterStep: step }), undefined, 'an older code after a newer one');
  });

  test('rejects malformed codes without comparing', () => {
    for (const code of ['', '12345', '1234567', 'abcdef', '12345a', ' 123456']) assert.equal(verifyTotp(RFC_SECRET, code, Date.now()), undefined, JSON.stringify(code));
  });

  test('base32 follows RFC 4648 and round-trips', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of vectors) {
      assert.equal(base32Encode(Buffer.from(plain)), encoded);
      assert.equal(base32Decode(encoded).toString(), plain);
    }
    assert.throws(() => base32Decode('not base32!'), /base32/);
  });

  test('the provisioning URI carries the secret and the issuer', () => {
    const uri = otpauthUri(RFC_SECRET, 'ops@example.com', 'Markettina');
    assert.match(uri, /^otpauth:\/\/totp\/Markettina%3Aops%40example\.com\?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Markettina&/);
  });
});
