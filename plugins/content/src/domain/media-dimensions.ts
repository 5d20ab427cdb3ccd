import type { MediaType } from './media-types.js';

/**
 * Width and height read from a file's own headers: enough to check a platform's size
 * rules without decoding pixels. Undefined when the headers are cut short or malformed.
 */
export interface Dimensions {
  width: number;
  height: number;
}

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const ascii = (b: Uint8Array, at: number, length: number) => String.fromCharCode(...b.subarray(at, at + length));

const sized = (width: number, height: number): Dimensions | undefined => (width > 0 && height > 0 ? { width, height } : undefined);

/** IHDR is the first chunk: width and height as 32-bit big-endian at 16 and 20. */
function png(b: Uint8Array): Dimensions | undefined {
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return undefined;
  return sized(u32be(b, 16), u32be(b, 20));
}

/** Logical screen width and height, 16-bit little-endian at 6 and 8. */
function gif(b: Uint8Array): Dimensions | undefined {
  return b.length < 10 ? undefined : sized(u16le(b, 6), u16le(b, 8));
}

// Start-of-frame markers (baseline, extended, progressive, lossless; Huffman or arithmetic); not DHT (C4), JPG (C8) or DAC (CC).
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Walks the marker segments up to the first start-of-frame, which holds height then width. */
function jpeg(b: Uint8Array): Dimensions | undefined {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or start of scan before any frame
    const length = u16be(b, at + 2);
    if (length < 2) return undefined;
    if (SOF.has(marker)) return at + 9 <= b.length ? sized(u16be(b, at + 7), u16be(b, at + 5)) : undefined;
    at += 2 + length;
  }
  return undefined;
}

/** The first chunk after `RIFF....WEBP` says which of the three encodings holds the size. */
function webp(b: Uint8Array): Dimensions | undefined {
  if (b.length < 30) return undefined;
  switch (ascii(b, 12, 4)) {
    case 'VP8X': // extended: canvas width-1 and height-1, 24-bit little-endian
      return sized(u24le(b, 24) + 1, u24le(b, 27) + 1);
    case 'VP8 ': // lossy key frame: start code 9d 01 2a, then 14-bit width and height
      if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined;
      return sized(u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
    case 'VP8L': {
      // lossless: signature 0x2f, then width-1 and height-1 in 14 bits each
      if (b[20] !== 0x2f) return undefined;
      const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
      return sized((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
    }
    default:
      return undefined;
  }
}

/** ISO base media boxes: [size][type][payload]; size 1 means a 64-bit size follows, 0 "to the end". */
function* boxes(b: Uint8Array, from: number, to: number): Generator<{ type: string; start: number; end: number }> {
  let at = from;
  while (at + 8 <= to) {
    let size = u32be(b, at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) return;
      size = u32be(b, at + 8) * 2 ** 32 + u32be(b, at + 12);
      header = 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < header || at + size > to) return;
    yield { type: ascii(b, at + 4, 4), start: at + header, end: at + size };
    at += size;
  }
}

/** The first track header (tkhd) with a picture size: width and height are 16.16 fixed point at its end. */
function mp4(b: Uint8Array): Dimensions | undefined {
  for (const moov of boxes(b, 0, b.length)) {
    if (moov.type !== 'moov') continue;
    for (const trak of boxes(b, moov.start, moov.end)) {
      if (trak.type !== 'trak') continue;
      for (const tkhd of boxes(b, trak.start, trak.end)) {
        if (tkhd.type !== 'tkhd' || tkhd.end - tkhd.start < 84) continue;
        const size = sized(u32be(b, tkhd.end - 8) >>> 16, u32be(b, tkhd.end - 4) >>> 16);
        if (size) return size;
      }
    }
  }
  return undefined;
}

const READERS: Record<MediaType, (b: Uint8Array) => Dimensions | undefined> = {
  'image/png': png,
  'image/jpeg': jpeg,
  'image/gif': gif,
  'image/webp': webp,
  'video/mp4': mp4,
};

export function mediaDimensions(type: MediaType, bytes: Uint8Array): Dimensions | undefined {
  return READERS[type](bytes);
}
