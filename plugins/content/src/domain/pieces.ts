import { problems } from '@markettina/sdk';
import type { PieceStatus, PieceType } from '../contracts.js';
import { assertEditable } from './pieces-status.js';

export const GENERATED_BY = ['user', 'ai', 'hybrid'] as const;
export type GeneratedBy = (typeof GENERATED_BY)[number];

/** Types made of several posts or slides: their body is their parts, one after another. */
export const MULTIPART_TYPES: readonly PieceType[] = ['thread', 'carousel'];
export const isMultipart = (type: PieceType): boolean => MULTIPART_TYPES.includes(type);

/** How parts are joined into a body, and how a body given for a multipart piece is split. */
export const PART_SEPARATOR = '\n\n';

/** What a client sets on a piece; `parentId` changes only through the chain rules. */
export interface PieceFields {
  type: PieceType;
  title: string;
  body: string;
  parts: string[];
  keywords: string[];
  metaTitle: string | null;
  metaDescription: string | null;
  campaignId: string | null;
  platform: string | null;
  generatedBy: GeneratedBy;
}

/** What a create or change may carry: a body or parts, never both. */
export type PieceInput = Partial<Omit<PieceFields, 'body' | 'parts'>> & { body?: string; parts?: string[] };

/** Keywords trimmed, inner spaces collapsed, repeats (ignoring case) dropped; order kept, the first is the focus keyword. */
export function normalizeKeywords(keywords: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of keywords) {
    const clean = k.trim().replace(/\s+/g, ' ');
    const key = clean.toLocaleLowerCase('en');
    if (!clean || seen.has(key)) continue;
    seen.add(key);
    out.push(clean);
  }
  return out;
}

const splitParts = (body: string): string[] =>
  body
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

/** Body and parts that agree with the type: a multipart body is its parts joined; other types have no parts. */
function settleText(type: PieceType, given: { body?: string; parts?: string[] }, fallbackBody: string): { body: string; parts: string[] } {
  if (given.body !== undefined && given.parts !== undefined) throw problems.invalid('PIECE_BODY_AND_PARTS', 'send either a body or parts, not both');
  if (isMultipart(type)) {
    const parts = (given.parts ?? splitParts(given.body ?? fallbackBody)).map((p) => p.trim());
    if (parts.length === 0 || parts.some((p) => !p)) throw problems.invalid('PIECE_BODY_REQUIRED', `a ${type} needs parts with text (or a body whose blank lines separate them)`);
    return { body: parts.join(PART_SEPARATOR), parts };
  }
  if (given.parts !== undefined) throw problems.invalid('PIECE_PARTS_NOT_ALLOWED', `a ${type} has a body, not parts; parts are for ${MULTIPART_TYPES.join(' and ')}`);
  const body = given.body ?? fallbackBody;
  if (!body.trim()) throw problems.invalid('PIECE_BODY_REQUIRED', 'a piece needs a body with text');
  return { body, parts: [] };
}

/** A new piece's fields from what the client sent. */
export function newPiece(input: PieceInput & Pick<PieceFields, 'type' | 'title'>): PieceFields {
  return checkTitle({
    type: input.type,
    title: input.title.trim(),
    ...settleText(input.type, input, ''),
    keywords: normalizeKeywords(input.keywords ?? []),
    metaTitle: input.metaTitle ?? null,
    metaDescription: input.metaDescription ?? null,
    campaignId: input.campaignId ?? null,
    platform: input.platform ?? null,
    generatedBy: input.generatedBy ?? 'user',
  });
}

/** The piece after `patch`; only a draft changes. */
export function patchPiece(current: PieceFields & { status: PieceStatus }, patch: PieceInput): PieceFields {
  assertEditable(current.status);
  const type = patch.type ?? current.type;
  const textChanges = patch.body !== undefined || patch.parts !== undefined || type !== current.type;
  const next: PieceFields = {
    type,
    title: patch.title?.trim() ?? current.title,
    ...(textChanges ? settleText(type, patch, current.body) : { body: current.body, parts: current.parts }),
    keywords: patch.keywords ? normalizeKeywords(patch.keywords) : current.keywords,
    metaTitle: patch.metaTitle !== undefined ? patch.metaTitle : current.metaTitle,
    metaDescription: patch.metaDescription !== undefined ? patch.metaDescription : current.metaDescription,
    campaignId: patch.campaignId !== undefined ? patch.campaignId : current.campaignId,
    platform: patch.platform !== undefined ? patch.platform : current.platform,
    generatedBy: patch.generatedBy ?? current.generatedBy,
  };
  return checkTitle(next);
}

function checkTitle(fields: PieceFields): PieceFields {
  if (!fields.title) throw problems.invalid('PIECE_TITLE_REQUIRED', 'a piece needs a title with text');
  return fields;
}
