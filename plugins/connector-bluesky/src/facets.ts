import { graphemeLength, utf8Length, utf8Offset } from './text.js';

/**
 * Rich text the way app.bsky.richtext.facet marks it: a byte range of the UTF-8 text and
 * what it is. Mentions carry the handle as written; publishing resolves it to a DID.
 */
export type FacetFeature = { kind: 'link'; uri: string } | { kind: 'mention'; handle: string } | { kind: 'tag'; tag: string };

export interface DetectedFacet {
  /** Inclusive start and exclusive end, in UTF-8 bytes. */
  byteStart: number;
  byteEnd: number;
  feature: FacetFeature;
}

/** The lexicon's limits on a tag (without its `#`). */
export const TAG_MAX_GRAPHEMES = 64;
export const TAG_MAX_BYTES = 640;

// A link, mention or tag starts a word (a URL or mention may also follow an opening parenthesis).
const LINK = /(^|[\s(])(https?:\/\/[^\s]+)/giu;
const MENTION = /(^|[\s(])@([a-zA-Z0-9.-]+)/gu;
const TAG = /(^|\s)[#＃]([^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20E2]+)/gu;
const HANDLE = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** Sentence punctuation after a URL is not part of it; a closing parenthesis is, when the URL opened one. */
function trimUrl(url: string): string {
  let out = url;
  for (;;) {
    if (/[.,;:!?"']$/.test(out)) out = out.slice(0, -1);
    else if (out.endsWith(')') && !out.includes('(')) out = out.slice(0, -1);
    else return out;
  }
}

function links(text: string): DetectedFacet[] {
  const out: DetectedFacet[] = [];
  for (const m of text.matchAll(LINK)) {
    const start = m.index + m[1]!.length;
    const uri = trimUrl(m[2]!);
    if (!URL.canParse(uri) || !new URL(uri).hostname.includes('.')) continue;
    out.push({ byteStart: utf8Offset(text, start), byteEnd: utf8Offset(text, start + uri.length), feature: { kind: 'link', uri } });
  }
  return out;
}

function mentions(text: string): DetectedFacet[] {
  const out: DetectedFacet[] = [];
  for (const m of text.matchAll(MENTION)) {
    const start = m.index + m[1]!.length;
    // "@alice.bsky.social." ends a sentence; the handle does not end with the dot.
    const handle = m[2]!.replace(/[.-]+$/, '');
    if (handle.length > 253 || !HANDLE.test(handle)) continue;
    out.push({ byteStart: utf8Offset(text, start), byteEnd: utf8Offset(text, start + 1 + handle.length), feature: { kind: 'mention', handle: handle.toLowerCase() } });
  }
  return out;
}

function tags(text: string): DetectedFacet[] {
  const out: DetectedFacet[] = [];
  for (const m of text.matchAll(TAG)) {
    const start = m.index + m[1]!.length;
    const tag = m[2]!.replace(/\p{P}+$/u, '');
    // "#1" is a number and "#️⃣" a keycap emoji, not tags.
    if (tag === '' || /^\d+$/.test(tag) || tag.startsWith('\uFE0F')) continue;
    if (graphemeLength(tag) > TAG_MAX_GRAPHEMES || utf8Length(tag) > TAG_MAX_BYTES) continue;
    out.push({ byteStart: utf8Offset(text, start), byteEnd: utf8Offset(text, start + 1 + tag.length), feature: { kind: 'tag', tag } });
  }
  return out;
}

/**
 * Links (http and https URLs), mentions (`@handle.domain`) and hashtags in `text`, in text
 * order, with UTF-8 byte offsets. Where two would overlap, links win, then mentions.
 */
export function detectFacets(text: string): DetectedFacet[] {
  const chosen: DetectedFacet[] = [];
  for (const f of [...links(text), ...mentions(text), ...tags(text)]) {
    if (!chosen.some((c) => f.byteStart < c.byteEnd && c.byteStart < f.byteEnd)) chosen.push(f);
  }
  return chosen.sort((a, b) => a.byteStart - b.byteStart);
}
