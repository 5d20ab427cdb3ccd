import type { DraftMedia, PostDraft } from '@markettina/sdk';
import { detectFacets, type DetectedFacet } from './facets.js';

export interface BlueskyPart {
  text: string;
  /** Links, mentions and tags found in the text; mentions are resolved to DIDs when publishing. */
  facets: DetectedFacet[];
  media: DraftMedia[];
}

/** A draft as Bluesky publishes it: one post per part, each replying to the one before. */
export interface BlueskyPost {
  parts: BlueskyPart[];
}

export function adapt(draft: PostDraft): BlueskyPost {
  return { parts: [draft, ...(draft.thread ?? [])].map((p) => ({ text: p.text, facets: detectFacets(p.text), media: [...(p.media ?? [])] })) };
}
