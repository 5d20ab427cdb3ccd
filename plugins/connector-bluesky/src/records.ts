import type { DetectedFacet } from './facets.js';

export const POST_COLLECTION = 'app.bsky.feed.post';

/** com.atproto.repo.strongRef: a record at one version. */
export interface StrongRef {
  uri: string;
  cid: string;
}

/** app.bsky.feed.post#replyRef: the post that starts the thread and the one answered. */
export interface ReplyRef {
  root: StrongRef;
  parent: StrongRef;
}

/** A blob as uploadBlob returns it and records reference it. */
export interface BlobRef {
  $type: 'blob';
  ref: { $link: string };
  mimeType: string;
  size: number;
}

export interface EmbeddedImage {
  image: BlobRef;
  alt: string;
}

export interface LexFacet {
  index: { byteStart: number; byteEnd: number };
  features: ({ $type: 'app.bsky.richtext.facet#link'; uri: string } | { $type: 'app.bsky.richtext.facet#mention'; did: string } | { $type: 'app.bsky.richtext.facet#tag'; tag: string })[];
}

export interface RecordAddress {
  repo: string;
  collection: string;
  rkey: string;
}

export const atUri = (a: RecordAddress): string => `at://${a.repo}/${a.collection}/${a.rkey}`;

/** Reads `at://<repo>/<collection>/<rkey>`; undefined for anything else. */
export function parseAtUri(uri: string): RecordAddress | undefined {
  const m = /^at:\/\/([^/?#]+)\/([a-zA-Z0-9.-]+)\/([a-zA-Z0-9._:~-]{1,512})$/.exec(uri);
  return m ? { repo: m[1]!, collection: m[2]!, rkey: m[3]! } : undefined;
}

/** Where people see a post: bsky.app links by DID, which survives handle changes. */
export function postUrl(uri: string): string | undefined {
  const a = parseAtUri(uri);
  return a && a.collection === POST_COLLECTION ? `https://bsky.app/profile/${a.repo}/post/${a.rkey}` : undefined;
}

/**
 * The reply ref of a post answering `parent`, whose own reply ref is `parentReply`: the
 * root stays the thread's first post, or is the parent itself when it starts the thread.
 */
export const replyTo = (parent: StrongRef, parentReply: ReplyRef | undefined): ReplyRef => ({ root: parentReply?.root ?? parent, parent });

/** Facets as the lexicon stores them; a mention whose handle did not resolve stays plain text. */
export function lexFacets(detected: readonly DetectedFacet[], dids: ReadonlyMap<string, string>): LexFacet[] {
  const out: LexFacet[] = [];
  for (const { byteStart, byteEnd, feature } of detected) {
    const index = { byteStart, byteEnd };
    if (feature.kind === 'link') out.push({ index, features: [{ $type: 'app.bsky.richtext.facet#link', uri: feature.uri }] });
    else if (feature.kind === 'tag') out.push({ index, features: [{ $type: 'app.bsky.richtext.facet#tag', tag: feature.tag }] });
    else {
      const did = dids.get(feature.handle);
      if (did) out.push({ index, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] });
    }
  }
  return out;
}

/** The `langs` of posts from a comma-separated setting such as "en, pt-BR" (the lexicon takes at most three). */
export function parseLanguages(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 3);
}

export interface PostRecordInput {
  text: string;
  createdAt: string;
  langs: string[];
  facets: LexFacet[];
  reply?: ReplyRef;
  images: EmbeddedImage[];
}

/** An app.bsky.feed.post record; empty optional fields are left out. */
export function postRecord(p: PostRecordInput): Record<string, unknown> {
  return {
    $type: POST_COLLECTION,
    text: p.text,
    createdAt: p.createdAt,
    ...(p.langs.length ? { langs: p.langs } : {}),
    ...(p.facets.length ? { facets: p.facets } : {}),
    ...(p.reply ? { reply: p.reply } : {}),
    ...(p.images.length ? { embed: { $type: 'app.bsky.embed.images', images: p.images } } : {}),
  };
}
