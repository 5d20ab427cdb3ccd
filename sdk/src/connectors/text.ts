import { countGraphemes } from '../segmentation.js';
import type { TextLimit } from './capabilities.js';

const encoder = new TextEncoder();

/** http(s) URLs as platforms that weight links recognise them: up to the next whitespace. */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/giu;

function countUnits(text: string, unit: TextLimit['unit']): number {
  switch (unit) {
    case 'bytes':
      return encoder.encode(text).length;
    case 'characters':
      return [...text].length;
    case 'graphemes':
      return countGraphemes(text);
  }
}

/** The length of `text` the way the platform counts it (unit and URL weighting). */
export function measureText(text: string, limit: Pick<TextLimit, 'unit' | 'urlLength'>): number {
  if (limit.urlLength === undefined) return countUnits(text, limit.unit);
  let urls = 0;
  const rest = text.replace(URL_PATTERN, () => {
    urls++;
    return '';
  });
  return countUnits(rest, limit.unit) + urls * limit.urlLength;
}
