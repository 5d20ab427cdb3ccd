import type { DraftMedia, PostDraft } from '@markettina/sdk';

export interface MastodonPart {
  status: string;
  media: DraftMedia[];
}

/** A draft as Mastodon publishes it: one status per part, each replying to the one before. */
export interface MastodonPost {
  parts: MastodonPart[];
  visibility: 'public';
}

export function adapt(draft: PostDraft): MastodonPost {
  const parts = [draft, ...(draft.thread ?? [])].map((p) => ({ status: p.text, media: [...(p.media ?? [])] }));
  return { parts, visibility: 'public' };
}
