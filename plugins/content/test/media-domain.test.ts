import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProblemError } from '@markettina/sdk';
import { checkFileName, fileNameFromDisposition, normalizeAltText, normalizeTags } from '../src/domain/media.js';
import { mediaDimensions } from '../src/domain/media-dimensions.js';
import { sniffMediaType } from '../src/domain/media-types.js';
import { inspectUpload } from '../src/domain/media-upload.js';
import { MEDIA_FILES, mp4 } from './fixtures/media-files.js';
import { problem } from './fixtures/problems.js';


describe('media types and sizes from file headers', () => {
  for (const [name, f] of Object.entries(MEDIA_FILES)) {
    test(`${name}: detected as ${f.type}, ${f.width}×${f.height}`, () => {
      assert.equal(sniffMediaType(f.bytes), f.type);
      assert.deepEqual(mediaDimensions(f.type, f.bytes), { width: f.width, height: f.height });
    });
  }

  test('MP4: ftyp brands decide, the track header gives the size (tkhd version 0 and 1)', () => {
    assert.equal(sniffMediaType(mp4(1920, 1080)), 'video/mp4');
    assert.deepEqual(mediaDimensions('video/mp4', mp4(1920, 1080)), { width: 1920, height: 1080 });
    assert.deepEqual(mediaDimensions('video/mp4', mp4(720, 1280, { version: 1, brand: 'mp42' })), { width: 720, height: 1280 });
    assert.equal(sniffMediaType(mp4(10, 10, { brand: 'M4V ' })), 'video/mp4');
    // HEIF/AVIF stills are ISO base media files too, but not video.
    const heic = mp4(10, 10, { brand: 'heic' });
    heic.write('heicmif1', 16, 'latin1');
    assert.equal(sniffMediaType(heic), undefined);
  });

  test('other formats and look-alikes are not media', () => {
    const samples = ['<svg xmlns="http://www.w3.org/2000/svg"/>', '<html><script>alert(1)</script>', '%PDF-1.7', 'RIFF\0\0\0\0WAVEfmt ', 'GIF90a', '\x89PNG\r\n'];
    for (const s of samples) assert.equal(sniffMediaType(Buffer.from(s, 'latin1')), undefined, s);
    assert.equal(sniffMediaType(new Uint8Array()), undefined);
  });

  test('cut-short or malformed headers give no size instead of a wrong one', () => {
    assert.equal(mediaDimensions('image/png', MEDIA_FILES.png.bytes.subarray(0, 20)), undefined);
    assert.equal(mediaDimensions('image/jpeg', MEDIA_FILES.jpeg.bytes.subarray(0, 200)), undefined, 'the EXIF segment alone holds no frame');
    assert.equal(mediaDimensions('image/gif', MEDIA_FILES.gif.bytes.subarray(0, 8)), undefined);
    assert.equal(mediaDimensions('image/webp', MEDIA_FILES.lossyWebp.bytes.subarray(0, 24)), undefined);
    const badStart = Buffer.from(MEDIA_FILES.lossyWebp.bytes);
    badStart[23] = 0;
    assert.equal(mediaDimensions('image/webp', badStart), undefined);
    const zeroPng = Buffer.from(MEDIA_FILES.png.bytes);
    zeroPng.writeUInt32BE(0, 16);
    assert.equal(mediaDimensions('image/png', zeroPng), undefined);
    assert.equal(mediaDimensions('video/mp4', mp4(0, 0)), undefined);
    const lyingBox = mp4(640, 480);
    lyingBox.writeUInt32BE(0xffffff, 32); // moov (after the 32-byte ftyp) claims more bytes than the file has
    assert.equal(mediaDimensions('video/mp4', lyingBox), undefined);
  });
});

describe('inspecting an upload', () => {
  test('a declared type that matches the bytes is kept, with the size', () => {
    assert.deepEqual(inspectUpload('image/PNG; charset=binary', MEDIA_FILES.png.bytes), { mimeType: 'image/png', width: 64, height: 48 });
    assert.deepEqual(inspectUpload('video/mp4', mp4(640, 360)), { mimeType: 'video/mp4', width: 640, height: 360 });
  });

  test('a declared type the bytes contradict is refused with both types', () => {
    assert.throws(
      () => inspectUpload('image/jpeg', MEDIA_FILES.png.bytes),
      (err: ProblemError) => problem(422, 'MEDIA_TYPE_MISMATCH')(err) && err.extensions.declared === 'image/jpeg' && err.extensions.detected === 'image/png',
    );
    assert.throws(() => inspectUpload('image/png', Buffer.from('<script>alert(1)</script>')), (err: ProblemError) => problem(422, 'MEDIA_TYPE_MISMATCH')(err) && err.extensions.detected === null);
  });

  test('types that are not media, empty bodies and unreadable images are refused', () => {
    assert.throws(() => inspectUpload('text/html', Buffer.from('<html>')), problem(415, 'UNSUPPORTED_MEDIA_TYPE'));
    assert.throws(() => inspectUpload('image/svg+xml', Buffer.from('<svg/>')), problem(415, 'UNSUPPORTED_MEDIA_TYPE'));
    assert.throws(() => inspectUpload('', MEDIA_FILES.png.bytes), problem(415, 'UNSUPPORTED_MEDIA_TYPE'));
    assert.throws(() => inspectUpload('image/png', new Uint8Array()), problem(422, 'MEDIA_EMPTY'));
    assert.throws(() => inspectUpload('image/png', MEDIA_FILES.png.bytes.subarray(0, 12)), problem(422, 'MEDIA_UNREADABLE'));
  });
});

describe('descriptive fields', () => {
  test('tags are trimmed, lower-cased, NFC and kept once in order', () => {
    assert.deepEqual(normalizeTags(['  Summer  Sale ', 'summer sale', 'CAFE\u0301', 'café', 'Ünïcode']), ['summer sale', 'café', 'ünïcode']);
    assert.deepEqual(normalizeTags([]), []);
  });

  test('empty, overlong, control-character and too many tags are refused', () => {
    assert.throws(() => normalizeTags(['ok', '   ']), problem(422, 'INVALID_MEDIA_TAG'));
    assert.throws(() => normalizeTags(['x'.repeat(51)]), problem(422, 'INVALID_MEDIA_TAG'));
    assert.throws(() => normalizeTags(['a\u0000b']), problem(422, 'INVALID_MEDIA_TAG'));
    assert.throws(() => normalizeTags(Array.from({ length: 21 }, (_, i) => `t${i}`)), problem(422, 'TOO_MANY_MEDIA_TAGS'));
    assert.equal(normalizeTags(Array.from({ length: 25 }, (_, i) => `t${i % 20}`)).length, 20, 'duplicates do not count');
  });

  test('alt text is trimmed; blank means none; longer than 1500 is refused', () => {
    assert.equal(normalizeAltText('  A red bicycle  '), 'A red bicycle');
    assert.equal(normalizeAltText('   '), null);
    assert.equal(normalizeAltText(null), null);
    assert.throws(() => normalizeAltText('x'.repeat(1501)), problem(422, 'ALT_TEXT_TOO_LONG'));
  });

  test('file names are names, never paths or header material', () => {
    assert.equal(checkFileName(' holiday photo.png '), 'holiday photo.png');
    for (const bad of ['', '  ', '../etc/passwd', 'a/b.png', 'a\\b.png', '..', 'a"b.png', 'a\r\nX-Evil: 1', 'x'.repeat(256)]) {
      assert.throws(() => checkFileName(bad), problem(400, 'INVALID_FILE_NAME'), JSON.stringify(bad));
    }
  });

  test('Content-Disposition: plain, quoted and RFC 8187 file names', () => {
    assert.equal(fileNameFromDisposition('attachment; filename="a b.png"'), 'a b.png');
    assert.equal(fileNameFromDisposition('attachment; filename=plain.png'), 'plain.png');
    assert.equal(fileNameFromDisposition('attachment; filename="fallback.png"; filename*=UTF-8\'\'caf%C3%A9.png'), 'café.png');
    assert.equal(fileNameFromDisposition('attachment; filename="say \\"hi\\".png"'), 'say "hi".png');
    assert.equal(fileNameFromDisposition('inline'), undefined);
    assert.equal(fileNameFromDisposition(undefined), undefined);
    assert.throws(() => fileNameFromDisposition("attachment; filename*=UTF-8''%E0%A4%A"), problem(400, 'INVALID_FILE_NAME'));
  });
});
