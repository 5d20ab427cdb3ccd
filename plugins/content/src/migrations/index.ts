import type { Migration } from '@markettina/sdk';
import * as posts from './0001_posts.js';
import * as templatesPieces from './0002_templates_pieces.js';
import * as media from './0003_media.js';
import * as review from './0004_review.js';

/** The content plugin's migrations, in order. */
export const migrations: Migration[] = [
  { name: '0001_posts', ...posts },
  { name: '0002_templates_pieces', ...templatesPieces },
  { name: '0003_media', ...media },
  { name: '0004_review', ...review },
];
