import { createHash } from 'node:crypto';

/** base32-sortable, the alphabet of AT Protocol TIDs. */
const S32 = '234567abcdefghijklmnopqrstuvwxyz';
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

export const isTid = (s: string): boolean => TID.test(s);

/**
 * The record key of the post published under `idempotencyKey`: a TID (the key type
 * app.bsky.feed.post declares) made of the first 63 bits of the key's SHA-256 rather than
 * of the clock, so every retry of one publish writes to the same key and the PDS cannot
 * hold two copies of it. Its timestamp bits therefore mean nothing; posts are ordered by
 * `createdAt`, not by record key.
 */
export function recordKeyFor(idempotencyKey: string): string {
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest();
  // A TID is a 64-bit integer whose top bit is 0, written as 13 base32-sortable characters.
  let n = digest.readBigUInt64BE(0) & 0x7fff_ffff_ffff_ffffn;
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = S32[Number(n & 31n)]! + out;
    n >>= 5n;
  }
  return out;
}

/** Part `index` of a thread gets its own key, so a retried thread dedupes post by post. */
export const partKey = (idempotencyKey: string, index: number): string => (index === 0 ? idempotencyKey : `${idempotencyKey}:${index}`);
