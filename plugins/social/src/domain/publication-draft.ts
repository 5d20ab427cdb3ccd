import type { DraftMedia, DraftPart, PostDraft } from '@markettina/sdk';
import type { PublicationDraft, PublicationMedia, PublicationPart } from '../contracts.js';

const parts = (d: PublicationDraft): PublicationPart[] => [d, ...(d.thread ?? [])];

/** Every blob a draft attaches, once each. */
export const blobKeysOf = (d: PublicationDraft): string[] => [...new Set(parts(d).flatMap((p) => (p.media ?? []).map((m) => m.blobKey)))];

function toPostDraft(d: PublicationDraft, media: (m: PublicationMedia) => DraftMedia): PostDraft {
  const part = (p: PublicationPart): DraftPart => ({ text: p.text, ...(p.media ? { media: p.media.map(media) } : {}) });
  return {
    ...part(d),
    ...(d.thread ? { thread: d.thread.map(part) } : {}),
    ...(d.firstComment !== undefined ? { firstComment: d.firstComment } : {}),
    ...(d.article ? { article: d.article } : {}),
  };
}

const described = (m: PublicationMedia): DraftMedia => ({
  mimeType: m.mimeType,
  sizeBytes: m.sizeBytes,
  ...(m.altText !== undefined ? { altText: m.altText } : {}),
  ...(m.fileName !== undefined ? { fileName: m.fileName } : {}),
});

/** The draft as a connector validates it before the bytes are at hand: media by type and size. */
export const describedDraft = (d: PublicationDraft): PostDraft => toPostDraft(d, described);

/** The draft with every attachment's bytes, as a connector publishes it. `bytes` must hold every key. */
export function loadedDraft(d: PublicationDraft, bytes: ReadonlyMap<string, Uint8Array>): PostDraft {
  return toPostDraft(d, (m) => {
    const data = bytes.get(m.blobKey);
    if (!data) throw new Error(`no bytes for blob ${m.blobKey}`);
    const { sizeBytes: _declared, ...rest } = described(m);
    return { ...rest, data };
  });
}
