import { problems } from '@markettina/sdk';

/** Rules of a media asset's descriptive fields: tags, alt text, file name. */
export const MEDIA_LIMITS = {
  tags: 20,
  tagLength: 50,
  /** Mastodon's limit, the largest that common platforms keep in full. */
  altText: 1500,
  fileName: 255,
} as const;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Characters a tag may hold: words in any script, digits, spaces and a little punctuation. */
export const TAG_PATTERN = "^[\\p{L}\\p{M}\\p{N} _.#&+'-]+$";
const TAG = new RegExp(TAG_PATTERN, 'u');
const HAS_WORD = /[\p{L}\p{N}]/u;

/**
 * Tags as the tenant will filter by them: trimmed, inner whitespace collapsed, lower case,
 * NFC, each once, in the order given. A tag that is empty, too long or holds other
 * characters is refused rather than silently changed beyond recognition.
 */
export function normalizeTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
    if (tag.length > MEDIA_LIMITS.tagLength || !TAG.test(tag) || !HAS_WORD.test(tag)) {
      throw problems.invalid('INVALID_MEDIA_TAG', `tag "${raw.slice(0, 60)}" must have 1 to ${MEDIA_LIMITS.tagLength} letters, digits, spaces or _ . # & + ' -`, { tag: raw.slice(0, 60) });
    }
    if (!out.includes(tag)) out.push(tag);
  }
  if (out.length > MEDIA_LIMITS.tags) throw problems.invalid('TOO_MANY_MEDIA_TAGS', `an asset holds at most ${MEDIA_LIMITS.tags} tags, not ${out.length}`);
  return out;
}

/** A tag as a filter compares it. */
export const tagFilter = (tag: string): string => tag.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

export function normalizeAltText(altText: string | null): string | null {
  if (altText === null) return null;
  const text = altText.normalize('NFC').trim();
  if (text.length > MEDIA_LIMITS.altText) throw problems.invalid('ALT_TEXT_TOO_LONG', `alt text holds at most ${MEDIA_LIMITS.altText} characters`);
  return text || null;
}

/**
 * A file name kept for display and downloads only (never a path: storage keys are
 * generated). Path separators and control characters are refused so the name cannot
 * smuggle a path or a header into a Content-Disposition.
 */
export function checkFileName(name: string): string {
  const clean = name.normalize('NFC').trim();
  if (!clean || clean.length > MEDIA_LIMITS.fileName || /[/\\"]/.test(clean) || CONTROL.test(clean) || clean === '.' || clean === '..') {
    throw problems.badRequest('INVALID_FILE_NAME', `the file name must have 1 to ${MEDIA_LIMITS.fileName} characters and no path separators, quotes or control characters`);
  }
  return clean;
}

/**
 * The file name of `Content-Disposition: attachment; filename="a.png"` (or the RFC 8187
 * form `filename*=UTF-8''caf%C3%A9.png`, which wins when both are present).
 */
export function fileNameFromDisposition(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /(?:^|;)\s*filename\*\s*=\s*UTF-8'[^']*'([^;\s]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!);
    } catch {
      throw problems.badRequest('INVALID_FILE_NAME', 'the filename* parameter of Content-Disposition is not valid percent-encoded UTF-8');
    }
  }
  const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  if (!plain) return undefined;
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2];
}

/** Deployment settings of media uploads (the content plugin's `media` config section). */
export interface MediaSettings {
  maxUploadBytes: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** Largest value the deployment may configure; uploads are held in memory while they are checked and stored. */
export const MAX_UPLOAD_BYTES_LIMIT = 1024 * 1024 * 1024;

export const mediaSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Media asset uploads',
  properties: {
    maxUploadBytes: { type: 'integer', minimum: 1024, maximum: MAX_UPLOAD_BYTES_LIMIT, description: `Largest accepted upload in bytes (default ${DEFAULT_MAX_UPLOAD_BYTES})` },
  },
} as const;

export function mediaSettings(config: Record<string, unknown>): MediaSettings {
  const media = (config.media ?? {}) as Partial<MediaSettings>;
  return { maxUploadBytes: media.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES };
}
