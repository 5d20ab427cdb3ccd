import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { amzDate, EMPTY_SHA256, objectUrl, signV4, uriEncode } from '../src/blobs/index.js';

/**
 * The "GET Object" example of Amazon S3's "Signature Calculations for the Authorization
 * Header" page (sig-v4-header-based-auth): the first 10 bytes of examplebucket/test.txt.
 */
const AWS_EXAMPLE = {
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  date: new Date('2013-05-24T00:00:00Z'),
};

describe('SigV4 signer', () => {
  test("reproduces AWS's published GET Object example step by step", () => {
    const signed = signV4({
      ...AWS_EXAMPLE,
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: { Range: 'bytes=0-9' },
      payloadHash: EMPTY_SHA256,
      service: 's3',
    });
    assert.equal(
      signed.canonicalRequest,
      [
        'GET',
        '/test.txt',
        '',
        'host:examplebucket.s3.amazonaws.com',
        'range:bytes=0-9',
        'x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date:20130524T000000Z',
        '',
        'host;range;x-amz-content-sha256;x-amz-date',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    assert.equal(
      signed.stringToSign,
      'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
    );
    assert.equal(signed.signature, 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    assert.equal(
      signed.headers.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    assert.equal(signed.headers['x-amz-date'], '20130524T000000Z');
  });

  test('any change to what is signed changes the signature', () => {
    const base = { ...AWS_EXAMPLE, method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: { Range: 'bytes=0-9' }, payloadHash: EMPTY_SHA256, service: 's3' };
    const reference = signV4(base).signature;
    const variants = [
      { ...base, method: 'DELETE' },
      { ...base, url: new URL('https://examplebucket.s3.amazonaws.com/test.txv') },
      { ...base, headers: { Range: 'bytes=0-8' } },
      { ...base, payloadHash: '0'.repeat(64) },
      { ...base, region: 'eu-west-1' },
      { ...base, date: new Date('2013-05-24T00:00:01Z') },
      { ...base, credentials: { ...base.credentials, secretAccessKey: 'x' } },
    ];
    for (const v of variants) assert.notEqual(signV4(v).signature, reference);
    assert.equal(signV4({ ...base, headers: { range: '  bytes=0-9 ' } }).signature, reference, 'header names are case-insensitive, values trimmed');
  });

  test('URI encoding follows SigV4: unreserved characters stay, the rest is upper-case %XX of UTF-8', () => {
    assert.equal(uriEncode('AZaz09-._~'), 'AZaz09-._~');
    assert.equal(uriEncode("a b+c*d'é/e"), "a%20b%2Bc%2Ad%27%C3%A9%2Fe");
    assert.equal(uriEncode('a b/c', true), 'a%20b/c');
    assert.equal(amzDate(new Date('2024-02-29T23:59:58.123Z')), '20240229T235958Z');
  });

  test('objects are addressed path-style or virtual-hosted', () => {
    const key = '0b9b3a9e-1c0e-4e4f-9e65-2f6d8f7f3b1a/0123456789abcdef0123456789abcdef';
    assert.equal(
      objectUrl({ endpoint: 'https://s3.eu-west-1.amazonaws.com', bucket: 'media', forcePathStyle: false }, key).href,
      `https://media.s3.eu-west-1.amazonaws.com/${key}`,
    );
    assert.equal(objectUrl({ endpoint: 'http://minio.local:9000/', bucket: 'media', forcePathStyle: true }, key).href, `http://minio.local:9000/media/${key}`);
    assert.equal(objectUrl({ endpoint: 'https://gw.example/s3', bucket: 'media', forcePathStyle: true }, 'a b').href, 'https://gw.example/s3/media/a%20b');
  });
});
