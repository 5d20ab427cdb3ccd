import { problems, ProblemError } from '@markettina/sdk';
import { mediaDimensions } from './media-dimensions.js';
import { isMediaType, MEDIA_TYPES, sniffMediaType, type MediaType } from './media-types.js';

export interface InspectedUpload {
  mimeType: MediaType;
  width: number | null;
  height: number | null;
}

/** `image/PNG; charset=x` → `image/png` */
export const essence = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

/**
 * What an upload really is. The declared type must be one we keep and must match the
 * bytes' signature; an image whose headers give no size is refused as unreadable.
 */
export function inspectUpload(declaredType: string, bytes: Uint8Array): InspectedUpload {
  const declared = essence(declaredType);
  if (!isMediaType(declared)) {
    throw new ProblemError({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      title: 'Unsupported media type',
      detail: `media assets may be ${MEDIA_TYPES.join(', ')}; got ${declared || 'no type'}`,
      extensions: { accepted: [...MEDIA_TYPES] },
    });
  }
  if (bytes.length === 0) throw problems.invalid('MEDIA_EMPTY', 'the upload has no bytes');
  const detected = sniffMediaType(bytes);
  if (detected !== declared) {
    throw problems.invalid('MEDIA_TYPE_MISMATCH', `the upload was declared ${declared} but its bytes are ${detected ?? 'not a supported media type'}`, {
      declared,
      detected: detected ?? null,
    });
  }
  const size = mediaDimensions(detected, bytes);
  if (!size && detected.startsWith('image/')) throw problems.invalid('MEDIA_UNREADABLE', `the ${detected} headers are cut short or malformed; no picture size could be read`);
  return { mimeType: detected, width: size?.width ?? null, height: size?.height ?? null };
}
