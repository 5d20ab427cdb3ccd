import { countGraphemes, type PostDraft, type Violation } from '@markettina/sdk';

/** app.bsky.feed.post `text`: maxGraphemes 300 (declared in capabilities) and maxLength 3000 UTF-8 bytes. */
export const TEXT_MAX_GRAPHEMES = 300;
export const TEXT_MAX_BYTES = 3000;

const encoder = new TextEncoder();

/** User-perceived characters, as the lexicon's maxGraphemes counts them: "👍🏽", "é" (e + U+0301) and "👨‍👩‍👧" are one each. */
export const graphemeLength = (text: string): number => countGraphemes(text);

export const utf8Length = (text: string): number => encoder.encode(text).length;

/** The UTF-8 byte offset of a UTF-16 index into `text` (facet indices count bytes, JavaScript strings count UTF-16 units). */
export const utf8Offset = (text: string, utf16Index: number): number => utf8Length(text.slice(0, utf16Index));

/**
 * The byte limit, which the grapheme limit does not imply: 300 family emoji are 300
 * graphemes but 7,500 bytes, and the PDS refuses them.
 */
export function textByteViolations(draft: PostDraft): Violation[] {
  const parts = [draft, ...(draft.thread ?? [])];
  const out: Violation[] = [];
  parts.forEach((part, i) => {
    const bytes = utf8Length(part.text);
    if (bytes > TEXT_MAX_BYTES) {
      out.push({ code: 'TEXT_TOO_LONG', path: i === 0 ? 'text' : `thread[${i - 1}].text`, message: `text is ${bytes} bytes in UTF-8; Bluesky takes at most ${TEXT_MAX_BYTES}`, limit: TEXT_MAX_BYTES, actual: bytes });
    }
  });
  return out;
}
