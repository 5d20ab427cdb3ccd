/**
 * Hashtags and mentions in a post's text, found the way platforms find them: any script
 * (`#CaféLatte`, `#東京`), never inside a URL or an e-mail address, mentions both as `@user`
 * and in the fediverse form `@user@instance.social`.
 */

export interface Entities {
  /** Without `#`, as first written. */
  hashtags: string[];
  /** Without the leading `@`, as first written; `user@instance.social` for fediverse handles. */
  mentions: string[];
}

// Links and addresses are blanked out first, so a `#fragment` or the `@` of an e-mail
// address is never taken for a tag or a mention.
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/giu;
// Not after `@`: in `@user@instance.social` the tail is a fediverse handle, not an address.
const EMAIL = /(?<![@\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

const WORD = '\\p{L}\\p{M}\\p{N}_';
// A tag needs a letter somewhere: `#1` is a number, not a tag. It may not follow a word
// character (`C#`, `a#b`), `&` (`&#39;`) or `/` (a path without a scheme, `site.com/#top`).
const HASHTAG = new RegExp(`(?<![${WORD}&#/])#([${WORD}]*\\p{L}[${WORD}]*)`, 'gu');
// `@user`, `@first.last`, `@alice.bsky.social`, `@user@instance.social`. Dots and dashes
// only between word characters, so a sentence's final period is not part of the handle.
const NAME = `[${WORD}](?:[${WORD}.-]*[${WORD}])?`;
const HOST = `[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?(?:\\.[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?)+`;
const MENTION = new RegExp(`(?<![${WORD}@/.])@(${NAME}(?:@${HOST})?)`, 'gu');

/** The form two tags or handles are compared in: Unicode-normalised, case-folded. */
export const entityKey = (value: string): string => value.normalize('NFC').toLocaleLowerCase('und');

const blank = (text: string, re: RegExp) => text.replace(re, (m) => ' '.repeat(m.length));

function unique(found: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const value of found) {
    const normal = value.normalize('NFC');
    const key = entityKey(normal);
    if (!seen.has(key)) seen.set(key, normal);
  }
  return [...seen.values()];
}

/** Hashtags and mentions of one or more texts, each once (compared case-insensitively). */
export function extractEntities(texts: string | readonly string[]): Entities {
  const tags: string[] = [];
  const handles: string[] = [];
  for (const text of typeof texts === 'string' ? [texts] : texts) {
    const plain = blank(blank(text, URL), EMAIL);
    for (const m of plain.matchAll(HASHTAG)) tags.push(m[1]!);
    for (const m of plain.matchAll(MENTION)) handles.push(m[1]!);
  }
  return { hashtags: unique(tags), mentions: unique(handles) };
}

/** A filter value as the client wrote it (`#CaféLatte`, `@Bob`) in the stored form. */
export const hashtagKey = (value: string): string => entityKey(value.replace(/^#/, ''));
export const mentionKey = (value: string): string => entityKey(value.replace(/^@/, ''));
